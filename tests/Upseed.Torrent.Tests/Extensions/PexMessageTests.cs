using System.Net;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Upseed.Torrent.Extensions;

namespace Upseed.Torrent.Tests.Extensions;

public class PexMessageTests
{
    // BEP 11: 6-byte compact IPv4 (address, port big-endian), 18-byte compact IPv6, one flag byte per added peer.
    // 1.2.3.4:6881 (port 1AE1) flagged seed + reachable (0x12); [2001:db8::1]:51413 (port C8D5) flagged encryption;
    // dropped 10.0.0.1:80.
    private const string Golden =
        @"d5:added6:\x01\x02\x03\x04\x1a\xe17:added.f1:\x126:added618:\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\xc8\xd5"
        + @"8:added6.f1:\x017:dropped6:\x0a\x00\x00\x01\x00\x50e";

    private static readonly PexMessage s_golden = new(
        [IPEndPoint.Parse("1.2.3.4:6881"), IPEndPoint.Parse("[2001:db8::1]:51413")],
        [PexMessage.FlagSeed | PexMessage.FlagReachable, PexMessage.FlagPrefersEncryption],
        [IPEndPoint.Parse("10.0.0.1:80")]);

    [Fact]
    public void Encode_BothFamilies_WritesBep11Layout()
    {
        Assert.Equal(TestVectorFile.Escape(TestVectorFile.Unescape(Golden)), TestVectorFile.Escape(s_golden.Encode()));
    }

    [Fact]
    public void TryDecode_Golden_ReadsBothFamiliesIPv4First()
    {
        Assert.True(PexMessage.TryDecode(TestVectorFile.Unescape(Golden), out var message, out var error), error);
        Assert.Equal(s_golden, message);
    }

    [Fact]
    public void Encode_Empty_StillHasAList()
    {
        // BEP 11: "Messages must contain at least one of the following fields".
        Assert.Equal("d5:added0:7:added.f0:7:dropped0:e", Encoding.ASCII.GetString(new PexMessage([], [], []).Encode()));
    }

    [Fact]
    public void Encode_NoFlags_WritesZeroFlags()
    {
        var message = new PexMessage([IPEndPoint.Parse("1.2.3.4:1")], [], []);

        Assert.Equal(@"d5:added6:\x01\x02\x03\x04\x00\x017:added.f1:\x007:dropped0:e", TestVectorFile.Escape(message.Encode()));
    }

    [Fact]
    public void Encode_IPv4MappedAddress_IsSentAsIPv4()
    {
        var message = new PexMessage([], [], [new IPEndPoint(IPAddress.Parse("1.2.3.4").MapToIPv6(), 1)]);

        Assert.Equal(@"d5:added0:7:added.f0:7:dropped6:\x01\x02\x03\x04\x00\x01e", TestVectorFile.Escape(message.Encode()));
    }

    [Fact]
    public void Encode_FlagsForSomePeersOnly_Throws()
    {
        var message = new PexMessage([IPEndPoint.Parse("1.2.3.4:1"), IPEndPoint.Parse("1.2.3.5:1")], [1], []);

        Assert.Throws<InvalidOperationException>(message.Encode);
    }

    [Fact]
    public void TryDecode_KeysUnsortedAndOnlyDropped6_IsAccepted()
    {
        var payload = TestVectorFile.Unescape(@"d8:dropped618:\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x505:added0:e");

        Assert.True(PexMessage.TryDecode(payload, out var message, out _));
        Assert.Equal([IPEndPoint.Parse("[::1]:80")], message.Dropped);
        Assert.Empty(message.Added);
    }

    [Fact]
    public void TryDecode_PartialTrailingEntry_IsIgnored()
    {
        // libtorrent reads string_length / 6 entries and ignores the rest.
        var payload = TestVectorFile.Unescape(@"d5:added9:\x01\x02\x03\x04\x00\x01\x05\x06\x07e");

        Assert.True(PexMessage.TryDecode(payload, out var message, out _));
        Assert.Equal([IPEndPoint.Parse("1.2.3.4:1")], message.Added);
        Assert.Equal([(byte)0], message.AddedFlags);
    }

    [Fact]
    public void TryDecode_FlagsOfTheWrongLength_AreTakenAsZero()
    {
        var payload = TestVectorFile.Unescape(@"d5:added12:\x01\x02\x03\x04\x00\x01\x01\x02\x03\x05\x00\x017:added.f1:\x02e");

        Assert.True(PexMessage.TryDecode(payload, out var message, out _));
        Assert.Equal([(byte)0, (byte)0], message.AddedFlags);
    }

    [Theory]
    [InlineData("d5:addedi1e7:droppedle6:added6d1:xi1eee")] // lists of the wrong type
    [InlineData("d1:xi1ee")] // no list at all (BEP 11 forbids sending it; receiving it is harmless)
    [InlineData("de")]
    public void TryDecode_WrongTypes_AreIgnored(string payload)
    {
        Assert.True(PexMessage.TryDecode(Encoding.ASCII.GetBytes(payload), out var message, out var error), error);
        Assert.Empty(message.Added);
        Assert.Empty(message.AddedFlags);
        Assert.Empty(message.Dropped);
    }

    [Fact]
    public void TryDecode_MoreThan200PeersInAList_KeepsTheFirst200()
    {
        var compact = new byte[250 * 6];
        for (var i = 0; i < 250; i++)
        {
            compact[(i * 6) + 3] = (byte)i;
        }

        var flags = Enumerable.Repeat((byte)2, 250).ToArray();
        var message = new PexMessage([.. Peers(compact)], flags, [.. Peers(compact)]);
        var payload = message.Encode();

        Assert.True(PexMessage.TryDecode(payload, out var decoded, out _));
        Assert.Equal(PexMessage.MaxPeersPerList, decoded.Added.Count);
        Assert.Equal(PexMessage.MaxPeersPerList, decoded.AddedFlags.Count);
        Assert.All(decoded.AddedFlags, f => Assert.Equal(2, f));
        Assert.Equal(PexMessage.MaxPeersPerList, decoded.Dropped.Count);
        Assert.Equal(message.Added.Take(200), decoded.Added);
    }

    [Theory]
    [InlineData("")]
    [InlineData("l5:addede")]
    [InlineData("d5:added0:")]
    [InlineData("d5:added0:5:added0:e")] // duplicate key
    public void TryDecode_NotOneBencodedDictionary_Fails(string payload)
    {
        Assert.False(PexMessage.TryDecode(Encoding.ASCII.GetBytes(payload), out var message, out var error));
        Assert.Null(message);
        Assert.NotNull(error);
    }

    [Fact]
    public void EncodeThenDecode_AnyMessage_GivesItBack()
    {
        Prop.ForAll(ExtensionGen.PexMessages, message =>
        {
            var expected = message.AddedFlags.Count == 0 ? message with { AddedFlags = new byte[message.Added.Count] } : message;

            Assert.True(PexMessage.TryDecode(message.Encode(), out var decoded, out var error), error);
            Assert.Equal(expected, decoded);
        }).Check(ExtensionGen.Config(300));
    }

    private static IEnumerable<IPEndPoint> Peers(byte[] compact)
    {
        for (var i = 0; i < compact.Length; i += 6)
        {
            yield return new IPEndPoint(new IPAddress(compact.AsSpan(i, 4)), (compact[i + 4] << 8) | compact[i + 5]);
        }
    }
}
