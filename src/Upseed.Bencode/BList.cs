using System.Buffers;

namespace Upseed.Bencode;

/// <summary>A bencoded list.</summary>
public sealed class BList : BValue
{
    public BList(IReadOnlyList<BValue> items)
        : this(items, default)
    {
    }

    public BList(params BValue[] items)
        : this(items, default)
    {
    }

    internal BList(IReadOnlyList<BValue> items, ReadOnlyMemory<byte> raw)
        : base(raw) => Items = items;

    public IReadOnlyList<BValue> Items { get; }

    public int Count => Items.Count;

    public BValue this[int index] => Items[index];

    public override void WriteTo(IBufferWriter<byte> writer)
    {
        BencodeWriter.WriteByte(writer, (byte)'l');
        foreach (var item in Items)
        {
            item.WriteTo(writer);
        }

        BencodeWriter.WriteByte(writer, (byte)'e');
    }
}
