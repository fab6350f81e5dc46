using System.Text;

namespace Upseed.Bencode.Tests;

public class BencodeDecoderTests
{
    public static TheoryData<string, string> Bep3Examples()
    {
        var data = new TheoryData<string, string>();
        foreach (var fields in Bep3Lines().Where(f => f[0] == "ok"))
        {
            data.Add(fields[1], fields[2]);
        }

        return data;
    }

    public static TheoryData<string, BencodeError> Bep3Rejections()
    {
        var data = new TheoryData<string, BencodeError>();
        foreach (var fields in Bep3Lines().Where(f => f[0] == "bad"))
        {
            data.Add(fields[1], Enum.Parse<BencodeError>(fields[2]));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Bep3Examples))]
    public void Decode_Bep3Example_GivesTheValueTheBepNames(string input, string expected)
    {
        var bytes = Encoding.ASCII.GetBytes(input);

        var value = BencodeDecoder.Decode(bytes);

        Assert.Equal(expected, BencodeNotation.Format(value));
        Assert.Equal(bytes, value.Encode());
    }

    [Theory]
    [MemberData(nameof(Bep3Rejections))]
    public void Decode_Bep3InvalidExample_ThrowsWithReason(string input, BencodeError expected)
    {
        var ex = Assert.Throws<BencodeException>(() => BencodeDecoder.Decode(Encoding.ASCII.GetBytes(input)));
        Assert.Equal(expected, ex.Error);
    }

    [Fact]
    public void Bep3Vectors_LoadedFromFile_HaveEveryExample()
    {
        // BEP 3 gives 7 valid examples and 2 invalid ones; the file adds the empty string and 2 key-rule cases.
        Assert.Equal(8, Bep3Examples().Count);
        Assert.Equal(4, Bep3Rejections().Count);
    }

    [Theory]
    [InlineData("i9223372036854775807e", long.MaxValue)]
    [InlineData("i-9223372036854775808e", long.MinValue)] // parsed negatively, so no overflow on the way
    [InlineData("i-1e", -1L)]
    [InlineData("i10e", 10L)] // a zero that is not leading
    public void Decode_IntegerAtRangeEdge_ReturnsValue(string input, long expected)
    {
        var value = Assert.IsType<BInteger>(BencodeDecoder.Decode(Encoding.ASCII.GetBytes(input)));
        Assert.Equal(expected, value.Value);
    }

    [Theory]
    [InlineData("d1:ai1e2:aai2ee")] // "a" < "aa": a prefix sorts first
    [InlineData("d1:ai1e1:\u0080i2ee")] // 0x61 < 0x80: bytes compare unsigned
    [InlineData("d0:i1e1:ai2ee")] // the empty key sorts first
    [InlineData("d1:Zi1e1:ai2ee")] // 'Z' < 'a': raw bytes, not alphabetical ignoring case
    public void Decode_KeysInRawByteOrder_Accepts(string input)
    {
        var bytes = Encoding.Latin1.GetBytes(input);
        var value = Assert.IsType<BDictionary>(BencodeDecoder.Decode(bytes));
        Assert.Equal(2, value.Count);
        Assert.Equal(bytes, value.Encode());
    }

    [Fact]
    public void Decode_BinaryString_KeepsEveryByte()
    {
        byte[] input = [(byte)'4', (byte)':', 0x00, 0xFF, (byte)'e', (byte)':'];

        var value = Assert.IsType<BString>(BencodeDecoder.Decode(input));

        Assert.Equal(new byte[] { 0x00, 0xFF, (byte)'e', (byte)':' }, value.Value.ToArray());
    }

    [Theory]
    // Dictionary keys
    [InlineData("d1:bi1e1:ai2ee", BencodeError.UnsortedKeys)]
    [InlineData("d2:aai1e1:ai2ee", BencodeError.UnsortedKeys)] // "aa" > "a"
    [InlineData("d1:\u0080i1e1:ai2ee", BencodeError.UnsortedKeys)] // 0x80 > 'a' as unsigned bytes
    [InlineData("d1:ai1e1:ci2e1:bi3ee", BencodeError.UnsortedKeys)] // out of order only at the third key
    [InlineData("d1:ai1e1:ai2ee", BencodeError.DuplicateKey)]
    [InlineData("d0:i1e0:i2ee", BencodeError.DuplicateKey)] // the empty key twice
    [InlineData("ld1:ai1e1:ai1eee", BencodeError.DuplicateKey)] // inside a list
    [InlineData("di1ei2ee", BencodeError.KeyNotString)]
    [InlineData("dlei1ee", BencodeError.KeyNotString)]
    [InlineData("ddei1ee", BencodeError.KeyNotString)]
    [InlineData("d1:ai1ei2ei3ee", BencodeError.KeyNotString)] // an integer where the second key belongs
    // Integers
    [InlineData("i03e", BencodeError.LeadingZero)]
    [InlineData("i00e", BencodeError.LeadingZero)]
    [InlineData("i-03e", BencodeError.LeadingZero)]
    [InlineData("i-0e", BencodeError.NegativeZero)]
    [InlineData("i9223372036854775808e", BencodeError.IntegerOverflow)] // long.MaxValue + 1
    [InlineData("i-9223372036854775809e", BencodeError.IntegerOverflow)] // long.MinValue - 1
    [InlineData("i99999999999999999999e", BencodeError.IntegerOverflow)]
    [InlineData("i-99999999999999999999e", BencodeError.IntegerOverflow)]
    [InlineData("ie", BencodeError.UnexpectedByte)] // no digits
    [InlineData("i-e", BencodeError.UnexpectedByte)]
    [InlineData("i+1e", BencodeError.UnexpectedByte)]
    [InlineData("i1.5e", BencodeError.UnexpectedByte)]
    [InlineData("i 1e", BencodeError.UnexpectedByte)]
    [InlineData("i--1e", BencodeError.UnexpectedByte)]
    // String lengths
    [InlineData("02:ab", BencodeError.LeadingZero)]
    [InlineData("00:", BencodeError.LeadingZero)]
    [InlineData("-1:a", BencodeError.UnexpectedByte)] // a length cannot be negative
    [InlineData("1a:b", BencodeError.UnexpectedByte)]
    [InlineData("99999999999999999999:", BencodeError.IntegerOverflow)] // over 64 bits
    [InlineData("1048577:", BencodeError.StringTooLong)] // one over the 1 MiB default, refused before waiting for the body
    // Structure
    [InlineData("i1ei2e", BencodeError.TrailingBytes)]
    [InlineData("lee", BencodeError.TrailingBytes)]
    [InlineData("4:spamX", BencodeError.TrailingBytes)]
    [InlineData("x", BencodeError.UnexpectedByte)]
    [InlineData("e", BencodeError.UnexpectedByte)]
    [InlineData(" i1e", BencodeError.UnexpectedByte)]
    [InlineData("lxe", BencodeError.UnexpectedByte)]
    [InlineData("", BencodeError.Truncated)]
    [InlineData("i", BencodeError.Truncated)]
    [InlineData("i12", BencodeError.Truncated)]
    [InlineData("i-", BencodeError.Truncated)]
    [InlineData("4:abc", BencodeError.Truncated)]
    [InlineData("12", BencodeError.Truncated)]
    [InlineData("l", BencodeError.Truncated)]
    [InlineData("li1e", BencodeError.Truncated)]
    [InlineData("d", BencodeError.Truncated)]
    [InlineData("d1:a", BencodeError.Truncated)]
    [InlineData("d1:ai1e", BencodeError.Truncated)]
    public void Decode_Malformed_ThrowsWithReason(string input, BencodeError expected)
    {
        var ex = Assert.Throws<BencodeException>(() => BencodeDecoder.Decode(Encoding.Latin1.GetBytes(input)));
        Assert.Equal(expected, ex.Error);
    }

    [Theory]
    [InlineData("i1ei2e", 3)]
    [InlineData("d1:bi1e1:ai2ee", 7)] // where the second key starts
    [InlineData("i03e", 1)] // where the digits start
    [InlineData("4:abc", 2)]
    public void Decode_Malformed_ReportsPosition(string input, int position)
    {
        var ex = Assert.Throws<BencodeException>(() => BencodeDecoder.Decode(Encoding.ASCII.GetBytes(input)));
        Assert.Equal(position, ex.Position);
        Assert.Contains($"at byte {position}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_NestingAtMaxDepth_Accepts()
    {
        var input = Nested('l', BencodeOptions.Default.MaxDepth);

        var value = BencodeDecoder.Decode(input);

        Assert.Equal(input, value.Encode());
    }

    [Theory]
    [InlineData('l')]
    [InlineData('d')]
    public void Decode_NestingOverMaxDepth_ThrowsDepthExceeded(char container)
    {
        var input = Nested(container, BencodeOptions.Default.MaxDepth + 1);

        var ex = Assert.Throws<BencodeException>(() => BencodeDecoder.Decode(input));

        Assert.Equal(BencodeError.DepthExceeded, ex.Error);
    }

    [Fact]
    public void Decode_ContainerWithMaxDepthZero_ThrowsDepthExceeded()
    {
        var options = new BencodeOptions { MaxDepth = 0 };

        var scalar = BencodeDecoder.Decode("i7e"u8.ToArray(), options);
        var ex = Assert.Throws<BencodeException>(() => BencodeDecoder.Decode("le"u8.ToArray(), options));

        Assert.Equal(7, Assert.IsType<BInteger>(scalar).Value);
        Assert.Equal(BencodeError.DepthExceeded, ex.Error);
    }

    [Fact]
    public void Decode_StringAtMaxStringLength_Accepts()
    {
        var options = new BencodeOptions { MaxStringLength = 4 };
        Assert.Equal("spam", ((BString)BencodeDecoder.Decode("4:spam"u8.ToArray(), options)).ToText());
    }

    [Theory]
    [InlineData("5:spams")]
    [InlineData("d5:spamsi1ee")] // keys are strings too
    [InlineData("5:")] // refused from the header alone
    public void Decode_StringOverMaxStringLength_ThrowsStringTooLong(string input)
    {
        var options = new BencodeOptions { MaxStringLength = 4 };
        var ex = Assert.Throws<BencodeException>(() => BencodeDecoder.Decode(Encoding.ASCII.GetBytes(input), options));
        Assert.Equal(BencodeError.StringTooLong, ex.Error);
    }

    [Theory]
    [InlineData("6:abcdef")]
    [InlineData("li1ei2ee")]
    [InlineData("d1:ai1ee")]
    public void Decode_MessageAtMaxMessageSize_Accepts(string input)
    {
        var options = new BencodeOptions { MaxMessageSize = 8 };
        var bytes = Encoding.ASCII.GetBytes(input);
        Assert.Equal(bytes, BencodeDecoder.Decode(bytes, options).Encode());
    }

    [Theory]
    [InlineData("7:abcdefg")] // the string body ends past the limit
    [InlineData("li1ei22ee")] // only the closing 'e' is past the limit
    [InlineData("d1:ai12ee")]
    [InlineData("i12345678e")]
    [InlineData("20:abcdef")] // a length pointing past the limit, input still short
    public void Decode_MessageOverMaxMessageSize_ThrowsMessageTooLarge(string input)
    {
        var options = new BencodeOptions { MaxMessageSize = 8 };
        var ex = Assert.Throws<BencodeException>(() => BencodeDecoder.Decode(Encoding.ASCII.GetBytes(input), options));
        Assert.Equal(BencodeError.MessageTooLarge, ex.Error);
    }

    [Fact]
    public void Decode_FuzzFoundStringEndingPastTheLimit_ThrowsMessageTooLarge()
    {
        // Found by BencodeDecoderFuzzTests (seed 20261122): a 50-byte dictionary accepted under a 48-byte limit
        // because the last string's body was inside the input but past MaxMessageSize.
        var input = Convert.FromHexString(
            "64303A692D39323231303638343334333837313865313A386931373165323A646931333AC46F41F290622F3E9055EA28A165");
        var options = new BencodeOptions { MaxDepth = 4, MaxStringLength = 16, MaxMessageSize = 48, MaxValues = 12 };

        var ex = Assert.Throws<BencodeException>(() => BencodeDecoder.Decode(input, options));

        Assert.Equal(BencodeError.MessageTooLarge, ex.Error);
        Assert.Equal(input, BencodeDecoder.Decode(input).Encode()); // canonical once the limit allows it
    }

    [Fact]
    public void Decode_DefaultMaxMessageSize_RefusesOneByteMore()
    {
        // 4 MiB exactly as one string, then the same with one more body byte.
        var limit = BencodeOptions.Default.MaxMessageSize;
        var options = BencodeOptions.Default with { MaxStringLength = limit };
        var fits = StringOfTotalLength(limit);
        var over = StringOfTotalLength(limit + 1);
        Assert.Equal((limit, limit + 1), (fits.Length, over.Length));

        Assert.Equal(limit, BencodeDecoder.Decode(fits, options).Raw.Length);
        Assert.Equal(BencodeError.MessageTooLarge, Assert.Throws<BencodeException>(() => BencodeDecoder.Decode(over, options)).Error);
    }

    [Theory]
    [InlineData("li1ei2ee", 3)]
    [InlineData("d1:ai1ee", 3)] // a key counts as a value
    [InlineData("lllleeee", 4)]
    public void Decode_ValuesAtMaxValues_Accepts(string input, int maxValues)
    {
        var options = new BencodeOptions { MaxValues = maxValues };
        Assert.NotNull(BencodeDecoder.Decode(Encoding.ASCII.GetBytes(input), options));
    }

    [Theory]
    [InlineData("li1ei2ei3ee", 3)]
    [InlineData("d1:ai1e1:bi2ee", 3)]
    [InlineData("lllleeee", 3)]
    public void Decode_ValuesOverMaxValues_ThrowsTooManyValues(string input, int maxValues)
    {
        var options = new BencodeOptions { MaxValues = maxValues };
        var ex = Assert.Throws<BencodeException>(() => BencodeDecoder.Decode(Encoding.ASCII.GetBytes(input), options));
        Assert.Equal(BencodeError.TooManyValues, ex.Error);
    }

    [Fact]
    public void DecodePrefix_ValueFollowedByMore_ReportsConsumed()
    {
        var value = BencodeDecoder.DecodePrefix("d3:cow3:mooei42e"u8.ToArray(), out var consumed);

        Assert.Equal(12, consumed); // "d3:cow3:mooe"
        Assert.Equal("{\"cow\":\"moo\"}", BencodeNotation.Format(value));
    }

    [Fact]
    public void Decode_StringValues_AreSlicesOfTheInput()
    {
        var input = "l4:spame"u8.ToArray();
        var value = (BString)((BList)BencodeDecoder.Decode(input))[0];

        input[4] = (byte)'P'; // the decoder documents that values share the input's memory

        Assert.Equal("sPam", value.ToText());
    }

    [Fact]
    public void Describe_EveryError_HasItsOwnSentence()
    {
        var sentences = Enum.GetValues<BencodeError>().Select(BencodeException.Describe).ToList();

        Assert.DoesNotContain("malformed bencode", sentences);
        Assert.Equal(sentences.Count, sentences.Distinct().Count());
    }

    internal static byte[] Nested(char container, int depth)
    {
        // Lists nest as l…le…e; dictionaries as d1:a d1:a … de … e, each value the next dictionary.
        var builder = new StringBuilder();
        for (var i = 0; i < depth; i++)
        {
            builder.Append(container);
            if (container == 'd' && i < depth - 1)
            {
                builder.Append("1:a");
            }
        }

        builder.Append('e', depth);
        return Encoding.ASCII.GetBytes(builder.ToString());
    }

    private static byte[] StringOfTotalLength(int total)
    {
        var bodyLength = total - 2;
        while ($"{bodyLength}:".Length + bodyLength > total)
        {
            bodyLength--;
        }

        var header = Encoding.ASCII.GetBytes($"{bodyLength}:");
        var bytes = new byte[header.Length + bodyLength];
        header.CopyTo(bytes, 0);
        bytes.AsSpan(header.Length).Fill((byte)'x');
        return bytes;
    }

    private static IEnumerable<string[]> Bep3Lines() =>
        TestVectorFile.Lines("bep3-bencode.txt")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
