using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;

namespace Upseed.Metainfo.Tests;

public class InfoHashTests
{
    // SHA-1("abc") is the FIPS 180-2 Appendix A.1 example; its base32 form was computed with Python's base64.b32encode.
    private const string AbcHex = "a9993e364706816aba3e25717850c26c9cd0d89d";
    private const string AbcBase32 = "VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE5";

    [Fact]
    public void ToHex_Sha1OfAbc_IsFipsExample()
    {
        var hash = new InfoHash(SHA1.HashData("abc"u8));

        Assert.Equal(AbcHex, hash.ToHex());
        Assert.Equal(AbcHex, hash.ToString());
    }

    [Fact]
    public void ToBase32_Sha1OfAbc_MatchesRfc4648Encoding()
    {
        var hash = InfoHash.Parse(AbcHex);

        Assert.Equal(AbcBase32, hash.ToBase32());
    }

    [Theory]
    [InlineData(AbcHex)]
    [InlineData("A9993E364706816ABA3E25717850C26C9CD0D89D")] // uppercase hex
    [InlineData(AbcBase32)]
    [InlineData("vgmt4nsha2awvor6evyxqugcnsonbwe5")] // lowercase base32
    public void Parse_HexOrBase32_GivesSameHash(string text)
    {
        Assert.Equal(new InfoHash(SHA1.HashData("abc"u8)), InfoHash.Parse(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a9993e364706816aba3e25717850c26c9cd0d89")] // 39 hex
    [InlineData("a9993e364706816aba3e25717850c26c9cd0d89d0")] // 41 hex
    [InlineData("g9993e364706816aba3e25717850c26c9cd0d89d")] // 'g' is not hex
    [InlineData("VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE1")] // '1' is not in the base32 alphabet
    [InlineData("VGMT4NSHA2AWVOR6EVYXQUGCNSONBWE=")] // padding has no place in 32 characters
    public void TryParse_Malformed_ReturnsFalse(string text)
    {
        Assert.False(InfoHash.TryParse(text, out _));
    }

    [Fact]
    public void Parse_Malformed_ThrowsFormatExceptionNamingBothForms()
    {
        var ex = Assert.Throws<FormatException>(() => InfoHash.Parse("nope"));
        Assert.Contains("40 hex or 32 base32", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToHexAndToBase32_AnyHash_ParseBackToSameHash()
    {
        var bytes = Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i), InfoHash.Size);
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(bytes.ToArbitrary(), b =>
        {
            var hash = new InfoHash(b);
            return InfoHash.Parse(hash.ToHex()) == hash
                && InfoHash.Parse(hash.ToBase32()) == hash
                && hash.ToArray().AsSpan().SequenceEqual(b);
        }));
    }

    [Fact]
    public void CompareTo_OrdersAsRawBytes()
    {
        var low = InfoHash.Parse("00ffffffffffffffffffffffffffffffffffffff");
        var high = InfoHash.Parse("0100000000000000000000000000000000000000");

        Assert.True(low < high);
        Assert.True(high.CompareTo(low) > 0);
    }
}
