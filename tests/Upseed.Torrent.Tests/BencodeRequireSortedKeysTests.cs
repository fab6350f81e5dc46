using System.Text;
using Upseed.Bencode;

namespace Upseed.Torrent.Tests;

/// <summary>
/// <see cref="BencodeOptions.RequireSortedKeys"/>, which the extension decoders turn off for other clients' messages.
/// (Here rather than in Upseed.Bencode.Tests because the extension codecs are its reason to exist.)
/// </summary>
public class BencodeRequireSortedKeysTests
{
    private static readonly BencodeOptions s_unsorted = new() { RequireSortedKeys = false };

    [Fact]
    public void Decode_DefaultOptions_StillRefuseUnsortedKeys()
    {
        var ex = Assert.Throws<BencodeException>(() => BencodeDecoder.Decode("d4:spam4:eggs3:cow3:mooe"u8.ToArray()));

        Assert.Equal(BencodeError.UnsortedKeys, ex.Error);
        Assert.True(BencodeOptions.Default.RequireSortedKeys);
    }

    [Fact]
    public void Decode_UnsortedAllowed_LooksUpEveryKeyAndKeepsTheRawBytes()
    {
        var input = "d4:spam4:eggs3:cow3:moo1:ai1ee"u8.ToArray();

        var dictionary = (BDictionary)BencodeDecoder.Decode(input, s_unsorted);

        Assert.Equal("eggs", ((BString)dictionary.Entries.Single(e => e.Key.SequenceEqual("spam"u8.ToArray())).Value).ToText());
        Assert.True(dictionary.TryGetValue("cow"u8, out var cow));
        Assert.Equal("moo", ((BString)cow).ToText());
        Assert.True(dictionary.TryGetValue("a"u8, out _));
        Assert.Equal(["a", "cow", "spam"], dictionary.Entries.Select(e => Encoding.ASCII.GetString(e.Key)));
        Assert.Equal(input, dictionary.Raw.ToArray());
        Assert.Equal("d1:ai1e3:cow3:moo4:spam4:eggse", Encoding.ASCII.GetString(dictionary.Encode()));
    }

    [Fact]
    public void Decode_UnsortedNested_SortsEachLevel()
    {
        var dictionary = (BDictionary)BencodeDecoder.Decode("d1:zd1:yi1e1:xi2ee1:ai0ee"u8.ToArray(), s_unsorted);

        Assert.Equal("d1:ai0e1:zd1:xi2e1:yi1eee", Encoding.ASCII.GetString(dictionary.Encode()));
    }

    [Theory]
    [InlineData("d1:ai1e1:ai2ee", 7)] // adjacent: found while parsing
    [InlineData("d1:bi1e1:ai2e1:bi3ee", 13)] // apart, after the order broke: found after sorting
    [InlineData("d1:ai1e1:ci2e1:bi3e1:ai4ee", 19)]
    public void Decode_UnsortedAllowed_StillRefusesDuplicateKeys(string input, int position)
    {
        var ex = Assert.Throws<BencodeException>(() => BencodeDecoder.Decode(Encoding.ASCII.GetBytes(input), s_unsorted));

        Assert.Equal(BencodeError.DuplicateKey, ex.Error);
        Assert.Equal(position, ex.Position);
    }

    [Fact]
    public void Decode_SortedInputEitherWay_GivesTheSameDictionary()
    {
        var input = "d3:cow3:moo4:spaml1:a1:bee"u8.ToArray();

        Assert.Equal(BencodeDecoder.Decode(input).Encode(), BencodeDecoder.Decode(input, s_unsorted).Encode());
    }
}
