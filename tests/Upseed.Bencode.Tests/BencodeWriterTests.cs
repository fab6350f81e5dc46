using System.Buffers;
using System.Text;

namespace Upseed.Bencode.Tests;

public class BencodeWriterTests
{
    [Theory]
    [InlineData(0L, "i0e")]
    [InlineData(-3L, "i-3e")]
    [InlineData(long.MaxValue, "i9223372036854775807e")]
    [InlineData(long.MinValue, "i-9223372036854775808e")] // the longest integer: 22 bytes
    public void WriteInteger_Value_WritesCanonicalForm(long value, string expected)
    {
        Assert.Equal(expected, Write(w => BencodeWriter.WriteInteger(w, value)));
    }

    [Fact]
    public void WriteString_EmptyAndBinary_WritesLengthPrefix()
    {
        Assert.Equal("0:", Write(w => BencodeWriter.WriteString(w, [])));
        Assert.Equal("3:\0\u00ff:", Write(w => BencodeWriter.WriteString(w, [0, 0xFF, (byte)':'])));
    }

    [Fact]
    public void WriteStringHeader_ThenBody_MatchesWriteString()
    {
        var body = new byte[1234];
        new Random(1234).NextBytes(body);

        var split = Write(w =>
        {
            BencodeWriter.WriteStringHeader(w, body.Length);
            w.Write(body);
        });

        Assert.Equal(Write(w => BencodeWriter.WriteString(w, body)), split);
        Assert.StartsWith("1234:", split, StringComparison.Ordinal);
    }

    [Fact]
    public void WriteStringHeader_NegativeLength_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BencodeWriter.WriteStringHeader(new ArrayBufferWriter<byte>(), -1));
    }

    [Fact]
    public void WriteByte_Sequence_WritesEachByte()
    {
        Assert.Equal("le", Write(w =>
        {
            BencodeWriter.WriteByte(w, (byte)'l');
            BencodeWriter.WriteByte(w, (byte)'e');
        }));
    }

    private static string Write(Action<ArrayBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>(1);
        write(buffer);
        return Encoding.Latin1.GetString(buffer.WrittenSpan);
    }
}
