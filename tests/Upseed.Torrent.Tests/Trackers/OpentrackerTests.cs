using System.Net;
using Upseed.Metainfo;
using Upseed.Torrent.Trackers;
using static Upseed.Torrent.Tests.Trackers.TrackerTestData;

namespace Upseed.Torrent.Tests.Trackers;

/// <summary>
/// Our clients against Debian's opentracker on 127.0.0.1. Two peers are two peer ids with two ports announced from
/// one machine; opentracker keys peers by address and port, so they are two peers to it. It lists the announcing peer
/// too, so "A sees B" means B is among A's peers.
/// </summary>
[Trait("Category", "Interop")]
public sealed class OpentrackerTests : IDisposable
{
    private const int PortA = 40001;
    private const int PortB = 40002;

    // Replies on loopback take microseconds; a second try covers a dropped datagram on a busy machine.
    private static readonly UdpTrackerOptions s_udpOptions = new() { BaseTimeout = TimeSpan.FromSeconds(2), MaxRetransmissions = 1 };

    // A default, pooling client on purpose: opentracker closes after each reply, and HttpTrackerClient has to cope.
    private readonly HttpClient _http = new();

    [Fact]
    public void Binary_IsInstalled() => Assert.True(File.Exists(OpentrackerProcess.FindBinary()));

    [Fact]
    public async Task Http_TwoPeersAnnounce_SeeEachOther()
    {
        var infoHash = HashOf(nameof(Http_TwoPeersAnnounce_SeeEachOther));
        await using var tracker = await OpentrackerProcess.StartAsync(nameof(Http_TwoPeersAnnounce_SeeEachOther), [infoHash]);
        var client = new HttpTrackerClient(_http);

        await TwoPeersSeeEachOtherAsync(client, tracker.HttpAnnounceUrl, infoHash, tracker);
    }

    [Fact]
    public async Task Udp_TwoPeersAnnounce_SeeEachOther()
    {
        var infoHash = HashOf(nameof(Udp_TwoPeersAnnounce_SeeEachOther));
        await using var tracker = await OpentrackerProcess.StartAsync(nameof(Udp_TwoPeersAnnounce_SeeEachOther), [infoHash]);
        await using var client = new UdpTrackerClient(s_udpOptions);

        await TwoPeersSeeEachOtherAsync(client, tracker.UdpAnnounceUrl, infoHash, tracker);
    }

    [Fact]
    public async Task Http_Scrape_ReportsCounts()
    {
        var infoHash = HashOf(nameof(Http_Scrape_ReportsCounts));
        var unknown = HashOf(nameof(Http_Scrape_ReportsCounts) + " unknown");
        await using var tracker = await OpentrackerProcess.StartAsync(nameof(Http_Scrape_ReportsCounts), [infoHash, unknown]);
        var client = new HttpTrackerClient(_http);

        await AnnounceLeecherAndSeederThenCompleteAsync(client, tracker.HttpAnnounceUrl, infoHash);
        var results = await client.ScrapeAsync(tracker.HttpAnnounceUrl, [infoHash, unknown]);

        // Complete = 2 (the seeder, and the leecher that completed), downloaded = 1 (one 'completed' event).
        Assert.Equal(new ScrapeResult(Complete: 2, Incomplete: 0, Downloaded: 1), results[infoHash]);
        Assert.False(results.ContainsKey(unknown), "opentracker leaves hashes without peers out of an HTTP scrape");
    }

    [Fact]
    public async Task Udp_Scrape_ReportsCounts()
    {
        var infoHash = HashOf(nameof(Udp_Scrape_ReportsCounts));
        var unknown = HashOf(nameof(Udp_Scrape_ReportsCounts) + " unknown");
        await using var tracker = await OpentrackerProcess.StartAsync(nameof(Udp_Scrape_ReportsCounts), [infoHash, unknown]);
        await using var client = new UdpTrackerClient(s_udpOptions);

        await AnnounceLeecherAndSeederThenCompleteAsync(client, tracker.UdpAnnounceUrl, infoHash);
        var results = await client.ScrapeAsync(tracker.UdpAnnounceUrl, [infoHash, unknown]);

        Assert.Equal(new ScrapeResult(Complete: 2, Incomplete: 0, Downloaded: 1), results[infoHash]);
        Assert.Equal(new ScrapeResult(0, 0, 0), results[unknown]); // BEP 15 answers every hash asked about
    }

    [Fact]
    public async Task Facade_HttpAndUdp_ShareOneSwarm()
    {
        // opentracker keeps one swarm per info-hash whichever protocol announced to it.
        var infoHash = HashOf(nameof(Facade_HttpAndUdp_ShareOneSwarm));
        await using var tracker = await OpentrackerProcess.StartAsync(nameof(Facade_HttpAndUdp_ShareOneSwarm), [infoHash]);
        await using var udp = new UdpTrackerClient(s_udpOptions);
        using var http = HttpTrackerClient.CreateHttpClient();
        var client = new TrackerClient(new HttpTrackerClient(http), udp);

        await client.AnnounceAsync(tracker.HttpAnnounceUrl, Announce(infoHash, "http peer", PortA, AnnounceEvent.Started, left: 10));
        var viaUdp = await client.AnnounceAsync(tracker.UdpAnnounceUrl, Announce(infoHash, "udp peer", PortB, AnnounceEvent.Started, left: 0));

        Assert.Contains(new IPEndPoint(IPAddress.Loopback, PortA), viaUdp.Peers);
    }

    [Fact]
    public async Task Http_ManyAnnouncesOnAPoolingClient_AllSucceed()
    {
        // Regression: opentracker answers HTTP/1.1 without "Connection: close", then closes. SocketsHttpHandler pools
        // the connection anyway (even for a request that said "Connection: close") and the next announce met a reset
        // about one time in fifty.
        var infoHash = HashOf(nameof(Http_ManyAnnouncesOnAPoolingClient_AllSucceed));
        await using var tracker = await OpentrackerProcess.StartAsync(nameof(Http_ManyAnnouncesOnAPoolingClient_AllSucceed), [infoHash]);
        var client = new HttpTrackerClient(_http);

        for (var i = 0; i < 200; i++)
        {
            await client.AnnounceAsync(tracker.HttpAnnounceUrl, Announce(infoHash, "peer A", PortA, AnnounceEvent.None, left: 1));
        }
    }

    [Fact]
    public async Task Http_HashNotWhitelisted_ThrowsRejectedWithOpentrackersText()
    {
        await using var tracker = await OpentrackerProcess.StartAsync(nameof(Http_HashNotWhitelisted_ThrowsRejectedWithOpentrackersText), []);
        var client = new HttpTrackerClient(_http);

        var ex = await Assert.ThrowsAsync<TrackerException>(() =>
            client.AnnounceAsync(tracker.HttpAnnounceUrl, Announce(HashOf("not listed"), "a", PortA, AnnounceEvent.Started, left: 1)));

        Assert.Equal(TrackerErrorKind.Rejected, ex.Kind);
        Assert.Equal("Requested download is not authorized for use with this tracker.", ex.FailureReason);
    }

    [Fact]
    public async Task Udp_HashNotWhitelisted_TimesOut()
    {
        // opentracker answers a refused UDP announce with an 8-byte packet (action 1 and the transaction id, nothing
        // else). BEP 15 says to drop packets under 20 bytes, so all a client can see is no answer.
        await using var tracker = await OpentrackerProcess.StartAsync(nameof(Udp_HashNotWhitelisted_TimesOut), []);
        await using var client = new UdpTrackerClient(new UdpTrackerOptions { BaseTimeout = TimeSpan.FromMilliseconds(100), MaxRetransmissions = 1 });

        var ex = await Assert.ThrowsAsync<TrackerException>(() =>
            client.AnnounceAsync(tracker.UdpAnnounceUrl, Announce(HashOf("not listed"), "a", PortA, AnnounceEvent.Started, left: 1)));

        Assert.Equal(TrackerErrorKind.Timeout, ex.Kind);
    }

    public void Dispose() => _http.Dispose();

    private static async Task TwoPeersSeeEachOtherAsync(ITrackerClient client, Uri url, InfoHash infoHash, OpentrackerProcess tracker)
    {
        var peerA = new IPEndPoint(IPAddress.Loopback, PortA);
        var peerB = new IPEndPoint(IPAddress.Loopback, PortB);

        await client.AnnounceAsync(url, Announce(infoHash, "peer A", PortA, AnnounceEvent.Started, left: 1000));
        var seenByB = await client.AnnounceAsync(url, Announce(infoHash, "peer B", PortB, AnnounceEvent.Started, left: 0));
        var seenByA = await client.AnnounceAsync(url, Announce(infoHash, "peer A", PortA, AnnounceEvent.None, left: 1000));

        Assert.True(seenByB.Peers.Contains(peerA), $"B's peers: {string.Join(", ", seenByB.Peers)}. opentracker: {tracker.Output}");
        Assert.True(seenByA.Peers.Contains(peerB), $"A's peers: {string.Join(", ", seenByA.Peers)}. opentracker: {tracker.Output}");
        Assert.Equal(1, seenByA.Seeders);
        Assert.Equal(1, seenByA.Leechers);
        Assert.True(seenByA.Interval > TimeSpan.Zero);
    }

    // A leecher and a seeder join, then the leecher reports 'completed'.
    private static async Task AnnounceLeecherAndSeederThenCompleteAsync(ITrackerClient client, Uri url, InfoHash infoHash)
    {
        await client.AnnounceAsync(url, Announce(infoHash, "leecher", PortA, AnnounceEvent.Started, left: 1000));
        await client.AnnounceAsync(url, Announce(infoHash, "seeder", PortB, AnnounceEvent.Started, left: 0));
        await client.AnnounceAsync(url, Announce(infoHash, "leecher", PortA, AnnounceEvent.Completed, left: 0) with { Downloaded = 1000 });
    }

    private static AnnounceRequest Announce(InfoHash infoHash, string peer, int port, AnnounceEvent announceEvent, long left) =>
        Request(infoHash, PeerIdOf(peer), port, left) with { Event = announceEvent, NumWant = 50, Key = 0x5EED };
}
