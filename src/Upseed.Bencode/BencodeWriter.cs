using System.Buffers;
using System.Buffers.Text;

namespace Upseed.Bencode;

/// <summary>Span-level canonical bencode primitives (BEP 3), for callers that write without building values.</summary>
public static class BencodeWriter
{
    public static void WriteString(IBufferWriter<byte> writer, ReadOnlySpan<byte> value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var span = writer.GetSpan(11 + value.Length);
        Utf8Formatter.TryFormat(value.Length, span, out var written);
        span[written++] = (byte)':';
        value.CopyTo(span[written..]);
        writer.Advance(written + value.Length);
    }

    /// <summary>Writes only <c>&lt;length&gt;:</c>; the caller then writes exactly that many bytes.</summary>
    public static void WriteStringHeader(IBufferWriter<byte> writer, int length)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var span = writer.GetSpan(11);
        Utf8Formatter.TryFormat(length, span, out var written);
        span[written++] = (byte)':';
        writer.Advance(written);
    }

    public static void WriteInteger(IBufferWriter<byte> writer, long value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var span = writer.GetSpan(22);
        span[0] = (byte)'i';
        Utf8Formatter.TryFormat(value, span[1..], out var written);
        span[1 + written] = (byte)'e';
        writer.Advance(written + 2);
    }

    public static void WriteByte(IBufferWriter<byte> writer, byte value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.GetSpan(1)[0] = value;
        writer.Advance(1);
    }
}
