using System.Buffers;
using System.Text;

namespace Upseed.Bencode.Tests;

public class BValueTests
{
    [Fact]
    public void Raw_DecodedBep3Dictionary_IsEachValuesBytesInTheInput()
    {
        var input = "d3:cow3:moo4:spaml1:a1:bee"u8.ToArray(); // BEP 3's examples, combined
        var root = Assert.IsType<BDictionary>(BencodeDecoder.Decode(input));
        Assert.True(root.TryGetValue("cow", out var cow));
        Assert.True(root.TryGetValue("spam", out var spam));
        var list = Assert.IsType<BList>(spam);

        Assert.Equal(input, root.Raw.ToArray());
        Assert.Equal("3:moo", Ascii(cow.Raw));
        Assert.Equal("l1:a1:be", Ascii(list.Raw));
        Assert.Equal("1:a", Ascii(list[0].Raw));
        Assert.Equal("1:b", Ascii(list[1].Raw));
        Assert.Equal(26, BencodeAssert.RawIsSlice(root, input, 0));
    }

    [Theory]
    [InlineData("i-42e")]
    [InlineData("0:")]
    [InlineData("le")]
    [InlineData("de")]
    [InlineData("ld1:xi1eelee")]
    [InlineData("d1:ad1:bd1:cleeee")]
    public void Raw_EveryDecodedValue_SlicesTheInputAtItsOffset(string text)
    {
        var input = Encoding.ASCII.GetBytes(text);

        var end = BencodeAssert.RawIsSlice(BencodeDecoder.Decode(input), input, 0);

        Assert.Equal(input.Length, end);
    }

    [Fact]
    public void Raw_DecodePrefix_StopsAtTheValueNotTheInput()
    {
        var input = "li1eei2e"u8.ToArray();

        var value = BencodeDecoder.DecodePrefix(input, out var consumed);

        Assert.Equal(5, consumed);
        Assert.Equal("li1ee", Ascii(value.Raw));
    }

    [Fact]
    public void Raw_ValueBuiltInCode_IsEmpty()
    {
        BValue[] built =
        [
            new BString("spam"),
            new BInteger(3),
            new BList(new BInteger(1)),
            new BDictionary().Set("cow", "moo"),
        ];

        Assert.All(built, value => Assert.True(value.Raw.IsEmpty));
    }

    [Fact]
    public void Encode_BuiltBep3Dictionary_MatchesTheBep()
    {
        var value = new BDictionary()
            .Set("spam", new BList(new BString("a"), new BString("b")));

        Assert.Equal("d4:spaml1:a1:bee", Ascii(value.Encode()));
    }

    [Fact]
    public void WriteTo_BufferWriter_AppendsToWhatIsThere()
    {
        var buffer = new ArrayBufferWriter<byte>();
        buffer.Write("xx"u8);

        new BList(new BInteger(-3), new BString("spam")).WriteTo(buffer);

        Assert.Equal("xxli-3e4:spame", Ascii(buffer.WrittenMemory));
    }

    [Fact]
    public void ToText_InvalidUtf8_GivesReplacementCharacter()
    {
        var value = new BString(new byte[] { (byte)'a', 0xFF });

        Assert.Equal("a\uFFFD", value.ToText());
    }

    private static string Ascii(ReadOnlyMemory<byte> bytes) => Encoding.ASCII.GetString(bytes.Span);
}
