using System.Net;
using Upseed.Metainfo;
using Upseed.Torrent.Trackers;
using static Upseed.Torrent.Tests.Trackers.TrackerTestData;

namespace Upseed.Torrent.Tests.Trackers;

public class HttpTrackerCodecTests
{
    // BEP 3 "Trackers": "For a 20-byte hash of \x12\x34\x56\x78\x9a\xbc\xde\xf1\x23\x45\x67\x89\xab\xcd\xef\x12\x34\x56\x78\x9a,
    // the right encoded form is %124Vx%9A%BC%DE%F1%23Eg%89%AB%CD%EF%124Vx%9A".
    private const string Bep3EncodedHash = "%124Vx%9A%BC%DE%F1%23Eg%89%AB%CD%EF%124Vx%9A";

    // A reply captured from Debian's opentracker (0.0~git20210823) after two announces: sorted keys, a random
    // interval, and the announcing peer itself among the peers.
    private static readonly byte[] s_opentrackerReply = Concat(
        Ascii("d8:completei1e10:downloadedi0e10:incompletei1e8:intervali1686e12:min intervali843e5:peers12:"),
        [0x7F, 0, 0, 1, 0x1A, 0xE1, 0x7F, 0, 0, 1, 0x1A, 0xE2],
        Ascii("e"));

    [Fact]
    public void BuildAnnounceUrl_Bep3Hash_EncodesAsTheSpecShows()
    {
        var request = Request(Bep3InfoHash, PrintablePeerId, 6881, left: 1024) with
        {
            Event = AnnounceEvent.Started,
            NumWant = 50,
            Key = 0xBEEF,
        };

        var url = HttpTrackerCodec.BuildAnnounceUrl(new Uri("http://tracker.example:6969/announce"), request);

        Assert.Equal(
            $"http://tracker.example:6969/announce?info_hash={Bep3EncodedHash}&peer_id=-US0001-abcdefghijkl"
            + "&port=6881&uploaded=0&downloaded=0&left=1024&compact=1&event=started&numwant=50&key=0000BEEF",
            url.AbsoluteUri);
    }

    [Fact]
    public void BuildAnnounceUrl_RegularAnnounce_LeavesOutEventNumWantAndKey()
    {
        var request = new AnnounceRequest(Bep3InfoHash, PrintablePeerId, 51413, Uploaded: 123_456_789_012, Downloaded: 7, Left: 0);

        var url = HttpTrackerCodec.BuildAnnounceUrl(new Uri("https://t.example/announce"), request);

        Assert.Equal(
            $"https://t.example/announce?info_hash={Bep3EncodedHash}&peer_id=-US0001-abcdefghijkl"
            + "&port=51413&uploaded=123456789012&downloaded=7&left=0&compact=1",
            url.AbsoluteUri);
    }

    [Theory]
    [InlineData(AnnounceEvent.Completed, "&event=completed")]
    [InlineData(AnnounceEvent.Stopped, "&event=stopped")]
    public void BuildAnnounceUrl_Event_UsesTheBep3Name(AnnounceEvent announceEvent, string expected)
    {
        var request = Request(Bep3InfoHash, PrintablePeerId, 6881) with { Event = announceEvent };

        var url = HttpTrackerCodec.BuildAnnounceUrl(new Uri("http://t.example/announce"), request);

        Assert.EndsWith("&compact=1" + expected, url.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildAnnounceUrl_BinaryPeerId_EncodesEveryByteOutsideTheUnreservedSet()
    {
        // Each byte class BEP 3 names: digits, letters, . - _ ~ stay; space, %, &, /, +, NUL, 0x7F and 0xFF are escaped.
        var peerId = new PeerId([(byte)'0', (byte)'z', (byte)'Z', (byte)'.', (byte)'-', (byte)'_', (byte)'~', (byte)' ', (byte)'%', (byte)'&',
            (byte)'/', (byte)'+', 0x00, 0x7F, 0xFF, (byte)'=', (byte)'?', (byte)'#', (byte)'a', (byte)'9']);

        var url = HttpTrackerCodec.BuildAnnounceUrl(new Uri("http://t.example/announce"), Request(Bep3InfoHash, peerId, 6881));

        Assert.Contains("&peer_id=0zZ.-_~%20%25%26%2F%2B%00%7F%FF%3D%3F%23a9&port=", url.AbsoluteUri, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://t.example/announce?passkey=abc", "http://t.example/announce?passkey=abc&info_hash=")] // a private tracker's passkey stays
    [InlineData("http://t.example/announce?", "http://t.example/announce?info_hash=")] // an empty query gets no extra '&'
    [InlineData("http://t.example/announce?a=1&", "http://t.example/announce?a=1&info_hash=")] // nor does a trailing '&'
    [InlineData("http://t.example/announce#frag", "http://t.example/announce?info_hash=")] // a fragment is never sent
    public void BuildAnnounceUrl_ExistingQuery_AppendsParameters(string announceUrl, string expectedStart)
    {
        var url = HttpTrackerCodec.BuildAnnounceUrl(new Uri(announceUrl), Request(Bep3InfoHash, PrintablePeerId, 6881));

        Assert.StartsWith(expectedStart + Bep3EncodedHash + "&", url.AbsoluteUri, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    [InlineData(-1)]
    public void BuildAnnounceUrl_PortOutOfRange_Throws(int port) =>
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            HttpTrackerCodec.BuildAnnounceUrl(new Uri("http://t.example/announce"), Request(Bep3InfoHash, PrintablePeerId, port)));

    [Fact]
    public void BuildAnnounceUrl_DefaultPeerId_Throws() =>
        Assert.Throws<ArgumentException>(() =>
            HttpTrackerCodec.BuildAnnounceUrl(new Uri("http://t.example/announce"), Request(Bep3InfoHash, default, 6881)));

    [Fact]
    public void BuildAnnounceUrl_UdpUrl_Throws() =>
        Assert.Throws<ArgumentException>(() =>
            HttpTrackerCodec.BuildAnnounceUrl(new Uri("udp://t.example:6969/announce"), Request(Bep3InfoHash, PrintablePeerId, 6881)));

    // The first three pairs and the refusals follow the wiki.theory.org scrape convention that BEP 48 formalises
    // ("locate the string 'announce' in the Path ... and replace it with 'scrape'").
    [Theory]
    [InlineData("http://example.com/announce", "http://example.com/scrape?info_hash=")]
    [InlineData("http://example.com/x/announce", "http://example.com/x/scrape?info_hash=")]
    [InlineData("http://example.com/announce.php", "http://example.com/scrape.php?info_hash=")]
    [InlineData("http://example.com/announce?x2%0644", "http://example.com/scrape?x2%0644&info_hash=")] // the query is kept as is
    [InlineData("http://example.com/announce?x=2/4", "http://example.com/scrape?x=2/4&info_hash=")] // a '/' in the query is not a path segment
    [InlineData("https://example.com:8443/p4ss/announce", "https://example.com:8443/p4ss/scrape?info_hash=")]
    public void TryBuildScrapeUrl_AnnounceSegment_BecomesScrape(string announceUrl, string expectedStart)
    {
        Assert.True(HttpTrackerCodec.TryBuildScrapeUrl(new Uri(announceUrl), [Bep3InfoHash], out var scrapeUrl));
        Assert.Equal(expectedStart + Bep3EncodedHash, scrapeUrl.AbsoluteUri);
    }

    [Theory]
    [InlineData("http://example.com/a")]
    [InlineData("http://example.com/announce/")] // the last segment is empty
    [InlineData("http://example.com/x%064announce")] // 'announce' must start the segment
    [InlineData("http://example.com/announce/x")] // only the last segment counts
    [InlineData("http://example.com/")]
    public void TryBuildScrapeUrl_NoAnnounceSegment_ReturnsFalse(string announceUrl)
    {
        Assert.False(HttpTrackerCodec.TryBuildScrapeUrl(new Uri(announceUrl), [Bep3InfoHash], out _));
        var ex = Assert.Throws<TrackerException>(() => HttpTrackerCodec.BuildScrapeUrl(new Uri(announceUrl), [Bep3InfoHash]));
        Assert.Equal(TrackerErrorKind.NotSupported, ex.Kind);
        Assert.Contains("BEP 48", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BuildScrapeUrl_SeveralHashes_RepeatsInfoHash()
    {
        var second = InfoHash.Parse("000102030405060708090a0b0c0d0e0f10111213");

        var url = HttpTrackerCodec.BuildScrapeUrl(new Uri("http://t.example/announce"), [Bep3InfoHash, second]);

        Assert.Equal(
            $"http://t.example/scrape?info_hash={Bep3EncodedHash}&info_hash=%00%01%02%03%04%05%06%07%08%09%0A%0B%0C%0D%0E%0F%10%11%12%13",
            url.AbsoluteUri);
    }

    [Fact]
    public void ParseAnnounceResponse_OpentrackerReply_ReadsCountsIntervalsAndCompactPeers()
    {
        var response = HttpTrackerCodec.ParseAnnounceResponse(s_opentrackerReply);

        Assert.Equal(TimeSpan.FromSeconds(1686), response.Interval);
        Assert.Equal(TimeSpan.FromSeconds(843), response.MinInterval);
        Assert.Equal(1, response.Seeders);
        Assert.Equal(1, response.Leechers);
        Assert.Equal([IPEndPoint.Parse("127.0.0.1:6881"), IPEndPoint.Parse("127.0.0.1:6882")], response.Peers);
        Assert.Null(response.WarningMessage);
    }

    [Fact]
    public void ParseAnnounceResponse_DictionaryPeers_ReadsIpAndPort()
    {
        // BEP 3's original form: a list of dicts with 'peer id', 'ip' (dotted quad, IPv6 or DNS name) and 'port'.
        var body = Ascii(
            "d8:intervali900e5:peersl"
            + "d2:ip9:10.0.0.257:peer id20:-XX0001-aaaaaaaaaaaa4:porti6881ee"
            + "d2:ip11:2001:db8::14:porti51413ee"
            + "d2:ip16:peer.example.org4:porti6881ee" // a DNS name: not resolved, left out
            + "d2:ip8:10.0.0.34:porti0ee" // port 0 cannot be connected to: left out
            + "ee");

        var response = HttpTrackerCodec.ParseAnnounceResponse(body);

        Assert.Equal([IPEndPoint.Parse("10.0.0.25:6881"), IPEndPoint.Parse("[2001:db8::1]:51413")], response.Peers);
        Assert.Null(response.MinInterval);
        Assert.Null(response.Seeders);
        Assert.Null(response.Leechers);
    }

    [Fact]
    public void ParseAnnounceResponse_Peers6_ReadsEighteenByteEntriesAfterIPv4()
    {
        var v6 = IPAddress.Parse("2001:db8::1:2").GetAddressBytes();
        var body = Concat(
            Ascii("d8:intervali60e5:peers6:"), [192, 0, 2, 1, 0x1A, 0xE1],
            Ascii("6:peers618:"), v6, [0xC8, 0xD5],
            Ascii("e"));

        var response = HttpTrackerCodec.ParseAnnounceResponse(body);

        Assert.Equal([IPEndPoint.Parse("192.0.2.1:6881"), IPEndPoint.Parse("[2001:db8::1:2]:51413")], response.Peers);
    }

    [Fact]
    public void ParseAnnounceResponse_UnsortedKeysAndUnknownKeys_Accepted()
    {
        // Keys out of order (other trackers' encoders do not all sort) and a key we do not know.
        var body = Concat(Ascii("d5:peers6:"), [10, 0, 0, 1, 0, 80], Ascii("8:intervali30e10:tracker id3:abc15:warning message6:slow de"));

        var response = HttpTrackerCodec.ParseAnnounceResponse(body);

        Assert.Equal(TimeSpan.FromSeconds(30), response.Interval);
        Assert.Equal("slow d", response.WarningMessage);
        Assert.Equal([IPEndPoint.Parse("10.0.0.1:80")], response.Peers);
    }

    [Fact]
    public void ParseAnnounceResponse_NoPeersKey_IsNoPeers()
    {
        var response = HttpTrackerCodec.ParseAnnounceResponse(Ascii("d8:intervali1800ee"));

        Assert.Empty(response.Peers);
    }

    [Fact]
    public void ParseAnnounceResponse_MorePeersThanTheCap_KeepsTheFirst()
    {
        var compact = new byte[250 * 6];
        for (var i = 0; i < 250; i++)
        {
            compact[(i * 6) + 0] = 10;
            compact[(i * 6) + 3] = (byte)i;
            compact[(i * 6) + 5] = 1;
        }

        var body = Concat(Ascii("d8:intervali60e5:peers1500:"), compact, Ascii("6:peers618:"), new byte[15], [0, 0, 1], Ascii("e"));

        var response = HttpTrackerCodec.ParseAnnounceResponse(body);
        var small = HttpTrackerCodec.ParseAnnounceResponse(body, new HttpTrackerOptions { MaxPeers = 3 });

        Assert.Equal(HttpTrackerCodec.DefaultMaxPeers, response.Peers.Count);
        Assert.Equal(IPEndPoint.Parse("10.0.0.199:1"), response.Peers[^1]);
        Assert.Equal(3, small.Peers.Count);
    }

    [Fact]
    public void ParseAnnounceResponse_FailureReason_ThrowsWithTheTrackersText()
    {
        // opentracker's refusal for an info-hash missing from its whitelist.
        var body = Ascii("d14:failure reason63:Requested download is not authorized for use with this tracker.e");

        var ex = Assert.Throws<TrackerException>(() => HttpTrackerCodec.ParseAnnounceResponse(body));

        Assert.Equal(TrackerErrorKind.Rejected, ex.Kind);
        Assert.Equal("Requested download is not authorized for use with this tracker.", ex.FailureReason);
        Assert.Contains("Requested download is not authorized", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseAnnounceResponse_FailureReasonWithControlCharacters_AreReplaced()
    {
        var ex = Assert.Throws<TrackerException>(() =>
            HttpTrackerCodec.ParseAnnounceResponse(Ascii("d14:failure reason9:bad\r\nline8:intervali5ee")));

        Assert.Equal("bad??line", ex.FailureReason);
    }

    [Theory]
    [InlineData("d5:peers0:e")] // no interval
    [InlineData("d8:interval3:abce")] // interval not an integer
    [InlineData("d8:intervali-1ee")] // negative interval
    [InlineData("d8:intervali2147483648ee")] // interval past 32 bits
    [InlineData("d8:intervali1e5:peers5:abcdee")] // compact peers not a multiple of 6
    [InlineData("d8:intervali1e6:peers65:abcdee")] // peers6 not a multiple of 18
    [InlineData("d8:intervali1e5:peersi3ee")] // peers neither string nor list
    [InlineData("d8:intervali1e5:peersli1eee")] // a peers entry not a dict
    [InlineData("d8:intervali1e5:peersld4:porti1eeee")] // a peer without ip
    [InlineData("d8:intervali1e5:peersld2:ip7:1.2.3.44:porti65536eeee")] // a port past 16 bits
    [InlineData("d8:completei-3e8:intervali1ee")] // negative count
    [InlineData("d14:failure reasoni1ee")] // failure reason not a string
    [InlineData("d15:warning messagei1e8:intervali1ee")] // warning not a string
    [InlineData("le")] // not a dictionary
    [InlineData("")] // empty body
    [InlineData("<title>Invalid Request</title>\n")] // opentracker's HTML for a non-compact request
    [InlineData("d8:intervali1e8:intervali2ee")] // duplicate key
    [InlineData("d8:intervali1ee junk")] // trailing bytes
    public void ParseAnnounceResponse_Malformed_ThrowsMalformedReply(string body)
    {
        var ex = Assert.Throws<TrackerException>(() => HttpTrackerCodec.ParseAnnounceResponse(Ascii(body)));

        Assert.Equal(TrackerErrorKind.MalformedReply, ex.Kind);
    }

    [Fact]
    public void ParseAnnounceResponse_OverTheSizeLimit_ThrowsMalformedReply()
    {
        var body = Concat(Ascii("d8:intervali1e3:pad70000:"), new byte[70_000], Ascii("e"));

        var ex = Assert.Throws<TrackerException>(() => HttpTrackerCodec.ParseAnnounceResponse(body));

        Assert.Equal(TrackerErrorKind.MalformedReply, ex.Kind);
        Assert.Contains("65536", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseScrapeResponse_Bep48Example_ReadsEveryFile()
    {
        // BEP 48 "Example", whitespace removed.
        var body = Ascii(
            "d5:filesd"
            + "20:xxxxxxxxxxxxxxxxxxxxd8:completei11e10:downloadedi13772e10:incompletei19ee"
            + "20:yyyyyyyyyyyyyyyyyyyyd8:completei21e10:downloadedi206e10:incompletei20ee"
            + "20:zzzzzzzzzzzzzzzzzzzzd8:completei14e10:downloadedi12191e10:incompletei9ee"
            + "ee");

        var results = HttpTrackerCodec.ParseScrapeResponse(body);

        Assert.Equal(3, results.Count);
        Assert.Equal(new ScrapeResult(11, 19, 13772), results[new InfoHash(Ascii(new string('x', 20)))]);
        Assert.Equal(new ScrapeResult(21, 20, 206), results[new InfoHash(Ascii(new string('y', 20)))]);
        Assert.Equal(new ScrapeResult(14, 9, 12191), results[new InfoHash(Ascii(new string('z', 20)))]);
    }

    [Fact]
    public void ParseScrapeResponse_OpentrackerUnknownHash_IsEmpty()
    {
        // opentracker's reply when it knows none of the hashes asked about.
        Assert.Empty(HttpTrackerCodec.ParseScrapeResponse(Ascii("d5:filesdee")));
    }

    [Fact]
    public void ParseScrapeResponse_FailureReason_ThrowsWithTheTrackersText()
    {
        var ex = Assert.Throws<TrackerException>(() => HttpTrackerCodec.ParseScrapeResponse(Ascii("d14:failure reason13:scrape is offe")));

        Assert.Equal(TrackerErrorKind.Rejected, ex.Kind);
        Assert.Equal("scrape is off", ex.FailureReason);
    }

    [Theory]
    [InlineData("de")] // no files
    [InlineData("d5:filesle")] // files not a dict
    [InlineData("d5:filesd3:abcd8:completei1e10:downloadedi1e10:incompletei1eeee")] // key not 20 bytes
    [InlineData("d5:filesd20:xxxxxxxxxxxxxxxxxxxxi1eee")] // entry not a dict
    [InlineData("d5:filesd20:xxxxxxxxxxxxxxxxxxxxd8:completei1e10:incompletei1eeee")] // no downloaded
    [InlineData("d5:filesd20:xxxxxxxxxxxxxxxxxxxxd8:completei-1e10:downloadedi1e10:incompletei1eeee")] // negative
    public void ParseScrapeResponse_Malformed_ThrowsMalformedReply(string body)
    {
        var ex = Assert.Throws<TrackerException>(() => HttpTrackerCodec.ParseScrapeResponse(Ascii(body)));

        Assert.Equal(TrackerErrorKind.MalformedReply, ex.Kind);
    }
}
