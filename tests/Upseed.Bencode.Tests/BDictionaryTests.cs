using System.Buffers;
using System.Text;

namespace Upseed.Bencode.Tests;

public class BDictionaryTests
{
    [Fact]
    public void Set_KeysInAnyOrder_EncodesSortedByRawBytes()
    {
        var value = new BDictionary()
            .Set("spam", "eggs")
            .Set(new byte[] { 0x80 }, new BInteger(1))
            .Set("cow", "moo")
            .Set("Z", 2)
            .Set("", 0);

        Assert.Equal("d0:i0e1:Zi2e3:cow3:moo4:spam4:eggs1:\u0080i1ee", Encoding.Latin1.GetString(value.Encode()));
    }

    [Fact]
    public void Set_ExistingKey_ReplacesTheValue()
    {
        var value = new BDictionary().Set("a", 1).Set("a", 2);

        Assert.Equal(1, value.Count);
        Assert.Equal("d1:ai2ee", Encoding.ASCII.GetString(value.Encode()));
    }

    [Fact]
    public void Set_DecodedDictionary_ThrowsInvalidOperation()
    {
        var decoded = Assert.IsType<BDictionary>(BencodeDecoder.Decode("d1:ai1ee"u8.ToArray()));

        Assert.Throws<InvalidOperationException>(() => decoded.Set("b", 2));
    }

    [Fact]
    public void TryGetValue_MissingAndPresentKeys_AnswersEach()
    {
        var decoded = Assert.IsType<BDictionary>(BencodeDecoder.Decode("d1:ai1e2:aai2e1:bi3ee"u8.ToArray()));

        Assert.True(decoded.TryGetValue("aa", out var aa));
        Assert.Equal(2, Assert.IsType<BInteger>(aa).Value);
        Assert.True(decoded.ContainsKey("b"));
        Assert.False(decoded.TryGetValue("ab", out var missing));
        Assert.Null(missing);
        Assert.False(decoded.ContainsKey(""));
    }

    [Fact]
    public void TryGetValue_NonAsciiKey_MatchesItsUtf8Bytes()
    {
        var value = new BDictionary().Set("é", 1);

        Assert.Equal("d2:\u00c3\u00a9i1ee", Encoding.Latin1.GetString(value.Encode()));
        Assert.True(value.ContainsKey("é"));
    }

    [Fact]
    public void WriteWithout_SignatureKey_GivesCanonicalBytesWithoutIt()
    {
        // A record as Upseed signs it: the signature covers the canonical bytes of everything but "sig".
        var input = "d4:bodyl3:onei2ee3:sig4:SSSS4:time3:nowe"u8.ToArray();
        var record = Assert.IsType<BDictionary>(BencodeDecoder.Decode(input));

        Assert.Equal("d4:bodyl3:onei2ee4:time3:nowe", WriteWithout(record, "sig"));
    }

    [Fact]
    public void WriteWithout_SeveralKeys_LeavesTheRestInOrder()
    {
        var record = Assert.IsType<BDictionary>(BencodeDecoder.Decode("d1:ai1e1:bi2e1:ci3e1:di4ee"u8.ToArray()));

        Assert.Equal("d1:bi2e1:di4ee", WriteWithout(record, "c", "a"));
    }

    [Fact]
    public void WriteWithout_NoKeysOrAbsentKeys_GivesTheInputBytes()
    {
        var input = "d3:cow3:moo4:spaml1:a1:bee"u8.ToArray();
        var record = Assert.IsType<BDictionary>(BencodeDecoder.Decode(input));

        Assert.Equal(Encoding.ASCII.GetString(input), WriteWithout(record));
        Assert.Equal(Encoding.ASCII.GetString(input), WriteWithout(record, "sig", "co", "cows"));
    }

    [Fact]
    public void WriteWithout_EveryKey_GivesEmptyDictionary()
    {
        var record = new BDictionary().Set("a", 1).Set("b", 2);

        Assert.Equal("de", WriteWithout(record, "a", "b"));
    }

    [Fact]
    public void WriteWithout_NestedKeyOfTheSameName_KeepsIt()
    {
        var record = Assert.IsType<BDictionary>(BencodeDecoder.Decode("d3:sigi2e1:xd3:sigi1eee"u8.ToArray()));

        Assert.Equal("d1:xd3:sigi1eee", WriteWithout(record, "sig"));
    }

    [Fact]
    public void WriteWithout_NonAsciiKey_ExcludesItsUtf8Bytes()
    {
        // Keys given as strings mean UTF-8 everywhere else (Set, TryGetValue); WriteWithout must agree.
        var record = new BDictionary().Set("é", 1).Set("a", 2);

        Assert.Equal("d1:ai2ee", WriteWithout(record, "é"));
    }

    [Fact]
    public void WriteWithout_BuiltDictionary_MatchesEncodeOfTheSmallerDictionary()
    {
        var full = new BDictionary().Set("a", new BList(new BInteger(1))).Set("sig", "x").Set("z", "last");
        var expected = new BDictionary().Set("a", new BList(new BInteger(1))).Set("z", "last").Encode();

        Assert.Equal(Encoding.ASCII.GetString(expected), WriteWithout(full, "sig"));
    }

    private static string WriteWithout(BDictionary dictionary, params string[] keys)
    {
        var buffer = new ArrayBufferWriter<byte>();
        dictionary.WriteWithout(buffer, keys);
        return Encoding.Latin1.GetString(buffer.WrittenSpan);
    }
}
