using System.Text;

namespace Upseed.Bencode.Tests;

public class BencodeDecoderTests
{
    [Theory]
    [InlineData("i03e", BencodeError.LeadingZero)]
    [InlineData("i-0e", BencodeError.NegativeZero)]
    [InlineData("d1:bi1e1:ai2ee", BencodeError.UnsortedKeys)]
    [InlineData("d1:ai1e1:ai2ee", BencodeError.DuplicateKey)]
    [InlineData("i1ei2e", BencodeError.TrailingBytes)]
    [InlineData("4:abc", BencodeError.Truncated)]
    [InlineData("02:ab", BencodeError.LeadingZero)]
    [InlineData("i9223372036854775808e", BencodeError.IntegerOverflow)]
    public void Decode_NonCanonical_ThrowsWithReason(string input, BencodeError expected)
    {
        var ex = Assert.Throws<BencodeException>(() => BencodeDecoder.Decode(Encoding.ASCII.GetBytes(input)));
        Assert.Equal(expected, ex.Error);
    }

    [Fact]
    public void Decode_Dictionary_RoundTripsCanonically()
    {
        var bytes = "d3:cow3:moo4:spaml1:a1:bee"u8.ToArray(); // BEP 3's example dictionary
        var value = Assert.IsType<BDictionary>(BencodeDecoder.Decode(bytes));
        Assert.Equal(bytes, value.Encode());
        Assert.True(value.TryGetValue("cow", out var cow));
        Assert.Equal("moo", ((BString)cow).ToText());
    }
}
