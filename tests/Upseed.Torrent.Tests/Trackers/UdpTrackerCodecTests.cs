using System.Net;
using System.Net.Sockets;
using Upseed.Metainfo;
using Upseed.Torrent.Trackers;
using static Upseed.Torrent.Tests.Trackers.TrackerTestData;

namespace Upseed.Torrent.Tests.Trackers;

// Expected packets are written out field by field from the tables in BEP 15; every integer is big-endian.
public class UdpTrackerCodecTests
{
    private static readonly byte[] s_bep3Hash = Convert.FromHexString("123456789abcdef123456789abcdef123456789a");

    [Fact]
    public void WriteConnectRequest_MatchesBep15()
    {
        var packet = new byte[UdpTrackerCodec.ConnectRequestSize];

        var written = UdpTrackerCodec.WriteConnectRequest(packet, 0xDEADBEEF);

        byte[] expected =
        [
            0x00, 0x00, 0x04, 0x17, 0x27, 0x10, 0x19, 0x80, // protocol_id 0x41727101980
            0x00, 0x00, 0x00, 0x00, // action 0: connect
            0xDE, 0xAD, 0xBE, 0xEF, // transaction_id
        ];
        Assert.Equal(16, written);
        Assert.Equal(expected, packet);
    }

    [Fact]
    public void WriteAnnounceRequest_AllFields_MatchesBep15()
    {
        var request = new AnnounceRequest(new InfoHash(s_bep3Hash), PrintablePeerId, 6881, Uploaded: 0x0102030405060708, Downloaded: 1000, Left: 5)
        {
            Event = AnnounceEvent.Started,
            NumWant = 50,
            Key = 0xCAFEF00D,
        };
        var packet = new byte[UdpTrackerCodec.AnnounceRequestSize];

        var written = UdpTrackerCodec.WriteAnnounceRequest(packet, connectionId: 0x1122334455667788, transactionId: 7, request);

        var expected = Concat(
            [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88], // connection_id
            [0x00, 0x00, 0x00, 0x01], // action 1: announce
            [0x00, 0x00, 0x00, 0x07], // transaction_id
            s_bep3Hash, // info_hash
            Ascii("-US0001-abcdefghijkl"), // peer_id
            [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0xE8], // downloaded 1000
            [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05], // left 5
            [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08], // uploaded
            [0x00, 0x00, 0x00, 0x02], // event 2: started
            [0x00, 0x00, 0x00, 0x00], // ip 0: use the sender's address
            [0xCA, 0xFE, 0xF0, 0x0D], // key
            [0x00, 0x00, 0x00, 0x32], // num_want 50
            [0x1A, 0xE1]); // port 6881
        Assert.Equal(98, written);
        Assert.Equal(expected, packet);
    }

    [Fact]
    public void WriteAnnounceRequest_Defaults_SendNoKeyAndNumWantMinusOne()
    {
        var packet = new byte[UdpTrackerCodec.AnnounceRequestSize];

        UdpTrackerCodec.WriteAnnounceRequest(packet, 1, 2, Request(new InfoHash(s_bep3Hash), PrintablePeerId, 65535));

        Assert.Equal(new byte[] { 0, 0, 0, 0 }, packet[80..84]); // event 0: none
        Assert.Equal(new byte[] { 0, 0, 0, 0 }, packet[88..92]); // key 0
        Assert.Equal(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }, packet[92..96]); // num_want -1: tracker's default
        Assert.Equal(new byte[] { 0xFF, 0xFF }, packet[96..98]); // port 65535
    }

    [Theory]
    [InlineData(AnnounceEvent.None, 0)]
    [InlineData(AnnounceEvent.Completed, 1)]
    [InlineData(AnnounceEvent.Started, 2)]
    [InlineData(AnnounceEvent.Stopped, 3)]
    public void WriteAnnounceRequest_Event_UsesBep15Numbers(AnnounceEvent announceEvent, byte expected)
    {
        var packet = new byte[UdpTrackerCodec.AnnounceRequestSize];

        UdpTrackerCodec.WriteAnnounceRequest(packet, 1, 2, Request(new InfoHash(s_bep3Hash), PrintablePeerId, 1) with { Event = announceEvent });

        Assert.Equal(new byte[] { 0, 0, 0, expected }, packet[80..84]);
    }

    [Fact]
    public void WriteAnnounceRequest_ShortDestination_Throws() =>
        Assert.Throws<ArgumentException>(() =>
            UdpTrackerCodec.WriteAnnounceRequest(new byte[97], 1, 2, Request(new InfoHash(s_bep3Hash), PrintablePeerId, 1)));

    [Fact]
    public void WriteScrapeRequest_TwoHashes_MatchesBep15()
    {
        var second = new byte[20];
        second[19] = 0x42;
        var packet = new byte[56];

        var written = UdpTrackerCodec.WriteScrapeRequest(packet, 0x0A0B0C0D0E0F1011, 0x01020304, [new InfoHash(s_bep3Hash), new InfoHash(second)]);

        var expected = Concat(
            [0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F, 0x10, 0x11], // connection_id
            [0x00, 0x00, 0x00, 0x02], // action 2: scrape
            [0x01, 0x02, 0x03, 0x04], // transaction_id
            s_bep3Hash,
            second);
        Assert.Equal(56, written);
        Assert.Equal(expected, packet);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(75)]
    public void WriteScrapeRequest_HashCountOutOfRange_Throws(int count) =>
        Assert.Throws<ArgumentException>(() =>
            UdpTrackerCodec.WriteScrapeRequest(new byte[2000], 1, 2, Enumerable.Repeat(new InfoHash(s_bep3Hash), count).ToArray()));

    [Fact]
    public void ReadConnectResponse_ReturnsConnectionId()
    {
        byte[] reply = [0, 0, 0, 0, 0, 0, 0, 7, 0xC7, 0xA3, 0x8B, 0xD8, 0x1C, 0xF4, 0x4A, 0xFF]; // captured from opentracker

        Assert.True(UdpTrackerCodec.TryReadHeader(reply, out var action, out var transactionId));
        Assert.Equal(UdpTrackerAction.Connect, action);
        Assert.Equal(7u, transactionId);
        Assert.Equal(unchecked((long)0xC7A38BD81CF44AFF), UdpTrackerCodec.ReadConnectResponse(reply));
    }

    [Fact]
    public void ReadAnnounceResponse_IPv4Tracker_ReadsSixBytePeers()
    {
        // Captured from opentracker after two announces on loopback: interval 1739, 2 leechers, 0 seeders.
        var reply = Convert.FromHexString("0000000100000009000006cb00000002000000007f0000011b597f0000011b5a");

        var response = UdpTrackerCodec.ReadAnnounceResponse(reply, AddressFamily.InterNetwork);

        Assert.Equal(TimeSpan.FromSeconds(1739), response.Interval);
        Assert.Equal(2, response.Leechers);
        Assert.Equal(0, response.Seeders);
        Assert.Null(response.MinInterval);
        Assert.Equal([IPEndPoint.Parse("127.0.0.1:7001"), IPEndPoint.Parse("127.0.0.1:7002")], response.Peers);
    }

    [Fact]
    public void ReadAnnounceResponse_IPv6Tracker_ReadsEighteenBytePeers()
    {
        var reply = Concat(
            [0, 0, 0, 1, 0, 0, 0, 9, 0, 0, 0, 60, 0, 0, 0, 1, 0, 0, 0, 1],
            IPAddress.Parse("2001:db8::7").GetAddressBytes(), [0x1A, 0xE1]);

        var response = UdpTrackerCodec.ReadAnnounceResponse(reply, AddressFamily.InterNetworkV6);

        Assert.Equal([IPEndPoint.Parse("[2001:db8::7]:6881")], response.Peers);
    }

    [Fact]
    public void ReadAnnounceResponse_NoPeers_IsEmpty()
    {
        byte[] reply = [0, 0, 0, 1, 0, 0, 0, 9, 0, 0, 0, 60, 0, 0, 0, 0, 0, 0, 0, 0];

        Assert.Empty(UdpTrackerCodec.ReadAnnounceResponse(reply, AddressFamily.InterNetwork).Peers);
    }

    [Fact]
    public void ReadAnnounceResponse_MorePeersThanTheCap_KeepsTheFirst()
    {
        var reply = Concat([0, 0, 0, 1, 0, 0, 0, 9, 0, 0, 0, 60, 0, 0, 0, 0, 0, 0, 0, 0], Enumerable.Repeat<byte>(1, 6 * 300).ToArray());

        Assert.Equal(200, UdpTrackerCodec.ReadAnnounceResponse(reply, AddressFamily.InterNetwork).Peers.Count);
        Assert.Equal(5, UdpTrackerCodec.ReadAnnounceResponse(reply, AddressFamily.InterNetwork, maxPeers: 5).Peers.Count);
    }

    [Theory]
    [InlineData("000000010000000900000060000000000000000001")] // 1 byte of peers
    [InlineData("0000000100000009000000600000000000000000010203040506070809101112")] // 12 bytes, but IPv6 needs 18
    public void ReadAnnounceResponse_PartialPeer_ThrowsMalformed(string hex)
    {
        var ex = Assert.Throws<TrackerException>(() => UdpTrackerCodec.ReadAnnounceResponse(Convert.FromHexString(hex), AddressFamily.InterNetworkV6));

        Assert.Equal(TrackerErrorKind.MalformedReply, ex.Kind);
    }

    [Theory]
    [InlineData("00000001000000090000003c00000000")] // 16 bytes: shorter than the 20-byte header
    [InlineData("0000000100000009")] // opentracker's whole reply for an info-hash missing from its whitelist
    [InlineData("00000000000000090000003c0000000000000000")] // action 0 in reply to an announce
    [InlineData("00000001000000090000003cffffffff00000000")] // leechers -1
    [InlineData("0000000100000009800000000000000000000000")] // interval negative
    [InlineData("000001")] // shorter than any header
    public void ReadAnnounceResponse_Malformed_ThrowsMalformed(string hex)
    {
        var ex = Assert.Throws<TrackerException>(() => UdpTrackerCodec.ReadAnnounceResponse(Convert.FromHexString(hex), AddressFamily.InterNetwork));

        Assert.Equal(TrackerErrorKind.MalformedReply, ex.Kind);
    }

    [Fact]
    public void ReadAnnounceResponse_ErrorPacket_ThrowsRejectedWithTheMessage()
    {
        // opentracker's error for a stale connection id, NUL included (its spelling).
        var reply = Convert.FromHexString("000000030000000b436f6e6e656374696f6e204944206d6973736d617463682e00");

        var ex = Assert.Throws<TrackerException>(() => UdpTrackerCodec.ReadAnnounceResponse(reply, AddressFamily.InterNetwork));

        Assert.Equal(TrackerErrorKind.Rejected, ex.Kind);
        Assert.Equal("Connection ID missmatch.", ex.FailureReason);
        Assert.Equal("Connection ID missmatch.", UdpTrackerCodec.ReadErrorMessage(reply));
    }

    [Fact]
    public void ReadScrapeResponse_TwoHashes_MapsSeedersCompletedLeechers()
    {
        byte[] reply =
        [
            0, 0, 0, 2, 0, 0, 0, 11, // action 2, transaction_id
            0, 0, 0, 5, 0, 0, 1, 0, 0, 0, 0, 3, // seeders 5, completed 256, leechers 3
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, // seeders 0, completed 0, leechers 2 (captured from opentracker)
        ];

        var results = UdpTrackerCodec.ReadScrapeResponse(reply, 2);

        Assert.Equal([new ScrapeResult(Complete: 5, Incomplete: 3, Downloaded: 256), new ScrapeResult(0, 2, 0)], results);
    }

    [Fact]
    public void ReadScrapeResponse_FewerEntriesThanHashes_ThrowsMalformed()
    {
        byte[] reply = [0, 0, 0, 2, 0, 0, 0, 11, 0, 0, 0, 5, 0, 0, 1, 0, 0, 0, 0, 3];

        var ex = Assert.Throws<TrackerException>(() => UdpTrackerCodec.ReadScrapeResponse(reply, 2));

        Assert.Equal(TrackerErrorKind.MalformedReply, ex.Kind);
    }

    [Fact]
    public void ReadConnectResponse_ErrorPacket_ThrowsRejected()
    {
        var reply = Concat([0, 0, 0, 3, 0, 0, 0, 1], Ascii("go away"));

        var ex = Assert.Throws<TrackerException>(() => UdpTrackerCodec.ReadConnectResponse(reply));

        Assert.Equal("go away", ex.FailureReason);
    }

    [Fact]
    public void TryReadHeader_ShortDatagram_ReturnsFalse() =>
        Assert.False(UdpTrackerCodec.TryReadHeader([0, 0, 0, 1, 0, 0, 0], out _, out _));

    [Fact]
    public void ReadErrorMessage_NotAnErrorPacket_ThrowsMalformed() =>
        Assert.Equal(TrackerErrorKind.MalformedReply, Assert.Throws<TrackerException>(() => UdpTrackerCodec.ReadErrorMessage(new byte[16])).Kind);
}
