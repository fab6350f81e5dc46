using System.Net;
using System.Net.Sockets;
using Upseed.Metainfo;
using Upseed.Torrent.Trackers;
using static Upseed.Torrent.Tests.Trackers.TrackerTestData;

namespace Upseed.Torrent.Tests.Trackers;

// The test plays the tracker on a loopback socket. Timeouts are milliseconds where a retransmission is the point,
// and long where none should happen (so a wrong retransmission shows up as a failed expectation, not a race).
public class UdpTrackerClientTests
{
    private static readonly UdpTrackerOptions s_noRetransmit = new() { BaseTimeout = TimeSpan.FromSeconds(30), MaxRetransmissions = 0 };

    [Fact]
    public async Task AnnounceAsync_FreshClient_ConnectsThenAnnounces()
    {
        using var tracker = new FakeUdpTracker();
        await using var client = new UdpTrackerClient(s_noRetransmit);
        var request = Request(HashOf(nameof(AnnounceAsync_FreshClient_ConnectsThenAnnounces)), PrintablePeerId, 6881, left: 10);

        var announce = client.AnnounceAsync(tracker.Url, request);
        await tracker.AcceptConnectAsync(0x0102030405060708);
        var packet = await tracker.ReceiveAsync();
        await tracker.SendAsync(FakeUdpTracker.AnnounceReply(packet.TransactionId, 1800, 1, 2, [10, 0, 0, 1, 0x1A, 0xE1]), packet.From);
        var response = await announce;

        Assert.Equal(UdpTrackerAction.Announce, packet.Action);
        Assert.Equal(UdpTrackerCodec.AnnounceRequestSize, packet.Bytes.Length);
        Assert.Equal(0x0102030405060708, packet.ConnectionId);
        Assert.Equal(request.InfoHash, new InfoHash(packet.Bytes.AsSpan(16, 20)));
        Assert.Equal(TimeSpan.FromSeconds(1800), response.Interval);
        Assert.Equal(1, response.Leechers);
        Assert.Equal(2, response.Seeders);
        Assert.Equal([IPEndPoint.Parse("10.0.0.1:6881")], response.Peers);
    }

    [Fact]
    public async Task AnnounceAsync_IPv6Tracker_ReadsEighteenBytePeers()
    {
        if (!Socket.OSSupportsIPv6)
        {
            return; // nothing to test on a host without IPv6; the codec test covers the parsing
        }

        using var tracker = new FakeUdpTracker(IPAddress.IPv6Loopback);
        await using var client = new UdpTrackerClient(s_noRetransmit);
        var peer = IPEndPoint.Parse("[2001:db8::5]:6881");

        var announce = client.AnnounceAsync(tracker.Url, Request(HashOf("ipv6"), PrintablePeerId, 6881));
        await tracker.AcceptConnectAsync(3);
        var packet = await tracker.ReceiveAsync();
        await tracker.SendAsync(FakeUdpTracker.AnnounceReply(packet.TransactionId, 60, 0, 1, [.. peer.Address.GetAddressBytes(), 0x1A, 0xE1]), packet.From);
        var response = await announce;

        Assert.Equal("udp://[::1]:" + tracker.EndPoint.Port + "/announce", tracker.Url.AbsoluteUri);
        Assert.Equal([peer], response.Peers);
    }

    [Fact]
    public async Task AnnounceAsync_ConnectReplyLost_RetransmitsWithTheSameTransactionId()
    {
        using var tracker = new FakeUdpTracker();
        await using var client = new UdpTrackerClient(new UdpTrackerOptions { BaseTimeout = TimeSpan.FromMilliseconds(50), MaxRetransmissions = 6 });

        var announce = client.AnnounceAsync(tracker.Url, Request(HashOf("lost"), PrintablePeerId, 6881));
        var first = await tracker.ReceiveConnectAsync(); // dropped: no reply
        var second = await tracker.ReceiveConnectAsync();
        await tracker.SendAsync(FakeUdpTracker.ConnectReply(second.TransactionId, 99), second.From);

        // On a loaded machine the reply may arrive after a third connect went out; skip such late copies.
        var packet = await tracker.ReceiveAsync();
        while (packet.Action == UdpTrackerAction.Connect)
        {
            Assert.Equal(first.TransactionId, packet.TransactionId);
            packet = await tracker.ReceiveAsync();
        }

        await tracker.SendAsync(FakeUdpTracker.AnnounceReply(packet.TransactionId, 60, 0, 0), packet.From);
        await announce;

        Assert.Equal(first.TransactionId, second.TransactionId);
        Assert.Equal(99, packet.ConnectionId);
    }

    [Fact]
    public async Task AnnounceAsync_StrayDatagramsBeforeTheReply_AreIgnored()
    {
        using var tracker = new FakeUdpTracker();
        using var impostor = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await using var client = new UdpTrackerClient(s_noRetransmit);

        var announce = client.AnnounceAsync(tracker.Url, Request(HashOf("stray"), PrintablePeerId, 6881));
        await tracker.AcceptConnectAsync(5);
        var packet = await tracker.ReceiveAsync();
        var tid = packet.TransactionId;
        await tracker.SendAsync([0, 0, 0, 1], packet.From); // shorter than a header
        await tracker.SendAsync(FakeUdpTracker.AnnounceReply(tid + 1, 1, 1, 1), packet.From); // another transaction
        await tracker.SendAsync(FakeUdpTracker.ConnectReply(tid, 5), packet.From); // right id, wrong action
        await tracker.SendAsync(FakeUdpTracker.AnnounceReply(tid, 60, 0, 0)[..16], packet.From); // right id, too short
        await impostor.SendAsync(FakeUdpTracker.AnnounceReply(tid, 2, 2, 2), packet.From); // right id, wrong sender
        await tracker.SendAsync(FakeUdpTracker.AnnounceReply(tid, 900, 3, 4), packet.From);
        var response = await announce;

        Assert.Equal(TimeSpan.FromSeconds(900), response.Interval);
        Assert.Equal(3, response.Leechers);
    }

    [Fact]
    public async Task AnnounceAsync_ErrorPacket_ThrowsRejectedAndConnectsAfresh()
    {
        using var tracker = new FakeUdpTracker();
        await using var client = new UdpTrackerClient(s_noRetransmit);
        var request = Request(HashOf("error"), PrintablePeerId, 6881);

        var announce = client.AnnounceAsync(tracker.Url, request);
        await tracker.AcceptConnectAsync(5);
        var packet = await tracker.ReceiveAsync();
        await tracker.SendAsync(FakeUdpTracker.ErrorReply(packet.TransactionId, "Connection ID missmatch.\0"), packet.From);
        var ex = await Assert.ThrowsAsync<TrackerException>(() => announce);

        // The cached connection id is dropped: the next announce starts with a connect.
        var again = client.AnnounceAsync(tracker.Url, request);
        await tracker.AcceptConnectAsync(6);
        var retry = await tracker.ReceiveAsync();
        await tracker.SendAsync(FakeUdpTracker.AnnounceReply(retry.TransactionId, 60, 0, 0), retry.From);
        await again;

        Assert.Equal(TrackerErrorKind.Rejected, ex.Kind);
        Assert.Equal("Connection ID missmatch.", ex.FailureReason);
        Assert.Equal(6, retry.ConnectionId);
    }

    [Fact]
    public async Task AnnounceAsync_ConnectionId_ReusedForAMinuteThenRenewed()
    {
        using var tracker = new FakeUdpTracker();
        var time = new ShiftedTimeProvider();
        await using var client = new UdpTrackerClient(s_noRetransmit, time);
        var request = Request(HashOf("cache"), PrintablePeerId, 6881);

        async Task<long> AnnounceAsync(long? connectWith)
        {
            var announce = client.AnnounceAsync(tracker.Url, request);
            if (connectWith is { } id)
            {
                await tracker.AcceptConnectAsync(id);
            }

            var packet = await tracker.ReceiveAsync();
            Assert.Equal(UdpTrackerAction.Announce, packet.Action);
            await tracker.SendAsync(FakeUdpTracker.AnnounceReply(packet.TransactionId, 60, 0, 0), packet.From);
            await announce;
            return packet.ConnectionId;
        }

        var first = await AnnounceAsync(connectWith: 11);
        time.Advance(TimeSpan.FromSeconds(59));
        var second = await AnnounceAsync(connectWith: null);
        time.Advance(TimeSpan.FromSeconds(2));
        var third = await AnnounceAsync(connectWith: 12);

        Assert.Equal([11L, 11L, 12L], [first, second, third]);
    }

    [Fact]
    public async Task AnnounceAsync_NoReplyAtAll_TimesOutAfterEveryRetransmission()
    {
        using var tracker = new FakeUdpTracker();
        await using var client = new UdpTrackerClient(new UdpTrackerOptions { BaseTimeout = TimeSpan.FromMilliseconds(20), MaxRetransmissions = 2 });

        var announce = client.AnnounceAsync(tracker.Url, Request(HashOf("silent"), PrintablePeerId, 6881));
        for (var i = 0; i < 3; i++)
        {
            await tracker.ReceiveConnectAsync(); // waits 20, 40, then 80 ms
        }

        var ex = await Assert.ThrowsAsync<TrackerException>(() => announce);

        Assert.Equal(TrackerErrorKind.Timeout, ex.Kind);
        Assert.Contains("after 3 tries", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScrapeAsync_MoreThan74Hashes_SendsSeveralScrapes()
    {
        using var tracker = new FakeUdpTracker();
        await using var client = new UdpTrackerClient(s_noRetransmit);
        var hashes = Enumerable.Range(0, 100).Select(i => HashOf($"scrape {i}")).ToArray();

        var scrape = client.ScrapeAsync(tracker.Url, hashes);
        await tracker.AcceptConnectAsync(7);
        var sizes = new List<int>();
        for (var batch = 0; batch < 2; batch++)
        {
            var packet = await tracker.ReceiveAsync();
            Assert.Equal(UdpTrackerAction.Scrape, packet.Action);
            var count = (packet.Bytes.Length - 16) / 20;
            sizes.Add(count);

            // Answer each hash with its position in the whole list as seeders.
            var reply = new byte[8 + (12 * count)];
            reply[3] = 2;
            packet.Bytes.AsSpan(12, 4).CopyTo(reply.AsSpan(4));
            for (var i = 0; i < count; i++)
            {
                reply[8 + (12 * i) + 3] = (byte)((batch * 74) + i);
            }

            await tracker.SendAsync(reply, packet.From);
        }

        var results = await scrape;

        Assert.Equal([74, 26], sizes);
        Assert.Equal(100, results.Count);
        Assert.Equal(99, results[hashes[99]].Complete);
        Assert.Equal(0, results[hashes[0]].Complete);
    }

    [Fact]
    public async Task DisposeAsync_WhileWaiting_FailsTheRequest()
    {
        using var tracker = new FakeUdpTracker();
        var client = new UdpTrackerClient(s_noRetransmit);

        var announce = client.AnnounceAsync(tracker.Url, Request(HashOf("dispose"), PrintablePeerId, 6881));
        await tracker.ReceiveConnectAsync();
        await client.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => announce);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.AnnounceAsync(tracker.Url, Request(HashOf("dispose"), PrintablePeerId, 6881)));
    }

    [Fact]
    public async Task AnnounceAsync_Cancelled_ThrowsOperationCanceled()
    {
        using var tracker = new FakeUdpTracker();
        await using var client = new UdpTrackerClient(s_noRetransmit);
        using var cancel = new CancellationTokenSource();

        var announce = client.AnnounceAsync(tracker.Url, Request(HashOf("cancel"), PrintablePeerId, 6881), cancel.Token);
        await tracker.ReceiveConnectAsync();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => announce);
    }

    [Theory]
    [InlineData("http://127.0.0.1:6969/announce")] // not udp
    [InlineData("udp://127.0.0.1/announce")] // no port
    public async Task AnnounceAsync_NotAUdpUrl_ThrowsArgumentException(string url)
    {
        await using var client = new UdpTrackerClient(s_noRetransmit);

        await Assert.ThrowsAsync<ArgumentException>(() => client.AnnounceAsync(new Uri(url), Request(HashOf("url"), PrintablePeerId, 6881)));
    }
}
