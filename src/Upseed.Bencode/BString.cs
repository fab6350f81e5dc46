using System.Buffers;
using System.Text;

namespace Upseed.Bencode;

/// <summary>A bencoded byte string. Bencode strings are bytes; <see cref="ToText"/> reads them as UTF-8.</summary>
public sealed class BString : BValue
{
    public BString(ReadOnlyMemory<byte> value)
        : this(value, default)
    {
    }

    public BString(string utf8)
        : this(Encoding.UTF8.GetBytes(utf8), default)
    {
    }

    internal BString(ReadOnlyMemory<byte> value, ReadOnlyMemory<byte> raw)
        : base(raw) => Value = value;

    public ReadOnlyMemory<byte> Value { get; }

    public ReadOnlySpan<byte> Span => Value.Span;

    /// <summary>The bytes as UTF-8 text; invalid sequences become U+FFFD (validate first where it matters).</summary>
    public string ToText() => Encoding.UTF8.GetString(Value.Span);

    public override void WriteTo(IBufferWriter<byte> writer) => BencodeWriter.WriteString(writer, Value.Span);

    public override string ToString() => ToText();
}
