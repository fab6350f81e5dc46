using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Upseed.Torrent.Extensions;

namespace Upseed.Torrent.Tests.Extensions;

public class ExtensionHandshakeTests
{
    private static readonly IReadOnlyDictionary<string, byte[]> s_bep10 = TestVectorFile.Read("bep10-extension-handshake.txt");
    private static readonly IReadOnlyDictionary<string, byte[]> s_bep9 = TestVectorFile.Read("bep9-ut-metadata.txt");

    [Fact]
    public void TryDecode_Bep10Example_ReadsPortVersionAndTheUtf8Name()
    {
        Assert.True(ExtensionHandshake.TryDecode(s_bep10["example"], out var handshake, out var error), error);

        // "µT_PEX" is written with the Latin-1 byte B5, which is not UTF-8, so that entry is dropped.
        Assert.Equal(new Dictionary<string, byte> { ["LT_metadata"] = 1 }, handshake.Messages);
        Assert.Equal(6881, handshake.ListenPort);
        Assert.Equal("µTorrent 1.2", handshake.ClientVersion);
        Assert.Null(handshake.YourIp);
        Assert.Null(handshake.RequestQueue);
        Assert.Null(handshake.MetadataSize);
    }

    [Fact]
    public void TryDecode_Bep10DisableExampleAsPrinted_IsAnUnknownKeyAndIgnored()
    {
        Assert.True(ExtensionHandshake.TryDecode(s_bep10["disable-as-printed"], out var handshake, out _));
        Assert.Equal(new ExtensionHandshake(), handshake);
    }

    [Fact]
    public void TryDecode_Bep10Disable_KeepsTheZeroId()
    {
        // BEP 10: "the value 0 is used to turn off an extension"; m is additive, so the 0 must reach the session.
        Assert.True(ExtensionHandshake.TryDecode(s_bep10["disable"], out var handshake, out _));
        Assert.Equal(new Dictionary<string, byte> { ["LT_metadata"] = 0 }, handshake.Messages);
    }

    [Fact]
    public void EncodeAndDecode_Bep9HandshakeExample_MatchBytes()
    {
        var expected = new ExtensionHandshake { Messages = new Dictionary<string, byte> { ["ut_metadata"] = 3 }, MetadataSize = 31235 };

        Assert.Equal(TestVectorFile.Escape(s_bep9["handshake"]), TestVectorFile.Escape(expected.Encode()));
        Assert.True(ExtensionHandshake.TryDecode(s_bep9["handshake"], out var decoded, out _));
        Assert.Equal(expected, decoded);
    }

    [Fact]
    public void Encode_EveryField_WritesCanonicalBencode()
    {
        var handshake = new ExtensionHandshake
        {
            Messages = new Dictionary<string, byte> { ["ut_pex"] = 2, ["ut_metadata"] = 1 },
            ListenPort = 6881,
            ClientVersion = "Upseed 0.1.0",
            YourIp = new byte[] { 127, 0, 0, 1 },
            RequestQueue = 250,
            MetadataSize = 100,
        };

        // Keys in raw-byte order at both levels (BEP 3), whatever order the dictionary was filled in.
        Assert.Equal(
            @"d1:md11:ut_metadatai1e6:ut_pexi2ee13:metadata_sizei100e1:pi6881e4:reqqi250e1:v12:Upseed 0.1.06:yourip4:\x7f\x00\x00\x01e",
            TestVectorFile.Escape(handshake.Encode()));
    }

    [Fact]
    public void Encode_Empty_WritesAnEmptyM()
    {
        Assert.Equal("d1:mdee", Encoding.ASCII.GetString(new ExtensionHandshake().Encode()));
    }

    [Fact]
    public void Encode_NullYourIpFromAByteArray_IsLeftOut()
    {
        // A null byte[] converts to an empty (not absent) ReadOnlyMemory; BEP 10 has no empty yourip, so it is omitted.
        byte[]? none = null;
        var handshake = new ExtensionHandshake { YourIp = none };

        Assert.Equal("d1:mdee", Encoding.ASCII.GetString(handshake.Encode()));
    }

    [Theory]
    [InlineData("d1:v3:abc1:md6:ut_pexi1eee")] // top-level keys out of order
    [InlineData("d1:md6:ut_pexi1e11:ut_metadatai2eee")] // m keys out of order
    public void TryDecode_UnsortedKeysFromAnotherClient_AreAccepted(string payload)
    {
        Assert.True(ExtensionHandshake.TryDecode(Encoding.ASCII.GetBytes(payload), out var handshake, out var error), error);
        Assert.Equal((byte)1, handshake.Messages["ut_pex"]);
    }

    [Theory]
    [InlineData("d1:mi5e1:p3:abc1:vi3e6:yourip6:abcdef4:reqq2:xx13:metadata_sizelee")] // every value of the wrong type
    [InlineData("d1:md1:ai256e1:bi-1e1:cd1:xi1eee1:pi0ee")] // ids outside 0-255, port 0
    [InlineData("d1:pi65536e4:reqqi0e13:metadata_sizei-5e1:v2:\u00ff\u00fee")] // out of range, invalid UTF-8
    [InlineData("d13:metadata_sizei2147483648e1:pi-1ee")] // over 2^31 - 1
    [InlineData("d1:ei1e12:complete_agoi-1e11:upload_onlyi1ee")] // keys other clients send that Upseed does not use
    public void TryDecode_WrongTypesOrRanges_AreIgnoredNotFatal(string payload)
    {
        Assert.True(ExtensionHandshake.TryDecode(Encoding.Latin1.GetBytes(payload), out var handshake, out var error), error);
        Assert.Equal(new ExtensionHandshake(), handshake);
    }

    [Fact]
    public void TryDecode_YourIpV6_IsKept()
    {
        var payload = Encoding.Latin1.GetBytes("d6:yourip16:" + new string('\x01', 16) + "e");

        Assert.True(ExtensionHandshake.TryDecode(payload, out var handshake, out _));
        Assert.Equal(Enumerable.Repeat((byte)1, 16), handshake.YourIp!.Value.ToArray());
    }

    [Theory]
    [InlineData("")]
    [InlineData("d1:m")] // truncated
    [InlineData("li1ee")] // a list, not a dictionary
    [InlineData("4:spam")]
    [InlineData("d1:mdee1:x")] // trailing bytes
    [InlineData("d1:mdee1:mdee")] // duplicate key
    [InlineData("d1:pi06881ee")] // leading zero
    [InlineData("d1:xd1:xd1:xd1:xdeeeee")] // nested deeper than 4
    [InlineData("GET / HTTP/1.1")]
    public void TryDecode_NotOneBencodedDictionary_Fails(string payload)
    {
        Assert.False(ExtensionHandshake.TryDecode(Encoding.ASCII.GetBytes(payload), out var handshake, out var error));
        Assert.Null(handshake);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void TryDecode_OverTheSizeLimit_FailsWithoutParsing()
    {
        var payload = Encoding.ASCII.GetBytes("d1:v65536:" + new string('a', 65536) + "e");

        Assert.False(ExtensionHandshake.TryDecode(payload, out _, out var error));
        Assert.Contains("limit", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryDecode_TooManyValues_Fails()
    {
        var entries = string.Concat(Enumerable.Range(0, 600).Select(i => $"4:k{i:d3}i1e"));

        Assert.False(ExtensionHandshake.TryDecode(Encoding.ASCII.GetBytes($"d1:md{entries}ee"), out _, out var error));
        Assert.Contains("too many values", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, null, null, null)]
    [InlineData(null, 5, null, null)]
    [InlineData(null, null, 0, null)]
    [InlineData(null, null, null, 0)]
    public void Encode_ValueDecodingWouldIgnore_Throws(int? port, int? ipLength, int? reqq, int? metadataSize)
    {
        var handshake = new ExtensionHandshake
        {
            ListenPort = port,
            YourIp = ipLength is { } n ? new byte[n] : null,
            RequestQueue = reqq,
            MetadataSize = metadataSize,
        };

        Assert.Throws<InvalidOperationException>(handshake.Encode);
    }

    [Fact]
    public void EncodeThenDecode_AnyHandshake_GivesItBack()
    {
        Prop.ForAll(ExtensionGen.Handshakes, handshake =>
        {
            Assert.True(ExtensionHandshake.TryDecode(handshake.Encode(), out var decoded, out var error), error);
            Assert.Equal(handshake, decoded);
        }).Check(ExtensionGen.Config(500));
    }

    [Fact]
    public void Equality_ComparesContents()
    {
        var a = new ExtensionHandshake { Messages = new Dictionary<string, byte> { ["x"] = 1 }, YourIp = new byte[] { 1, 2, 3, 4 } };
        var b = new ExtensionHandshake { Messages = new Dictionary<string, byte> { ["x"] = 1 }, YourIp = new byte[] { 1, 2, 3, 4 } };
        var c = b with { YourIp = new byte[] { 1, 2, 3, 5 } };

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
        Assert.Contains("x = 1", a.ToString(), StringComparison.Ordinal);
    }
}
