using System.Buffers;
using System.Globalization;

namespace Upseed.Bencode;

/// <summary>A bencoded integer, limited to the signed 64-bit range.</summary>
public sealed class BInteger : BValue
{
    public BInteger(long value)
        : this(value, default)
    {
    }

    internal BInteger(long value, ReadOnlyMemory<byte> raw)
        : base(raw) => Value = value;

    public long Value { get; }

    public override void WriteTo(IBufferWriter<byte> writer) => BencodeWriter.WriteInteger(writer, Value);

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
