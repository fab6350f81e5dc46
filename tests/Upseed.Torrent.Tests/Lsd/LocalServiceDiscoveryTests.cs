using System.Net;
using System.Text;
using Upseed.Metainfo;
using Upseed.Torrent.Lsd;
using Upseed.Torrent.Tests.Swarm;

namespace Upseed.Torrent.Tests.Lsd;

public class LocalServiceDiscoveryTests
{
    private static readonly TimeSpan s_within = TimeSpan.FromSeconds(10);
    private static readonly IPAddress s_addressA = IPAddress.Parse("192.168.1.10");
    private static readonly IPAddress s_addressB = IPAddress.Parse("192.168.1.20");

    private static InfoHash Hash(int i)
    {
        var bytes = new byte[InfoHash.Size];
        bytes[0] = (byte)(i >> 8);
        bytes[1] = (byte)i;
        bytes[19] = 0xAA;
        return new InfoHash(bytes);
    }

    private static List<LsdPeer> Drain(LocalServiceDiscovery lsd)
    {
        var peers = new List<LsdPeer>();
        while (lsd.Peers.TryRead(out var peer))
        {
            peers.Add(peer);
        }

        return peers;
    }

    [Fact]
    public async Task TwoNodes_FindEachOthersSharedKeysAndPorts_IgnoreTheirOwnCookie()
    {
        var medium = new LsdTestMedium();
        var clock = new LsdManualClock();
        await using var a = new LocalServiceDiscovery(medium.Join(s_addressA), 6881, [Hash(1), Hash(2)], clock);
        await using var b = new LocalServiceDiscovery(medium.Join(s_addressB), 6882, [Hash(2), Hash(3)], clock);
        a.Start();
        b.Start();

        await Eventually.TrueAsync(() => a.PeersFound >= 1 && b.PeersFound >= 1 && a.OwnDatagramsIgnored >= 1 && b.OwnDatagramsIgnored >= 1, s_within, "both hear each other and themselves");

        // Only the shared key is reported: each hears the other's Hash(2), with the UDP source IP and the Port header.
        Assert.Equal([new LsdPeer(Hash(2), new IPEndPoint(s_addressB, 6882))], Drain(a));
        Assert.Equal([new LsdPeer(Hash(2), new IPEndPoint(s_addressA, 6881))], Drain(b));
        Assert.Equal(0, a.DatagramsMalformed);
        Assert.NotEqual(a.Cookie, b.Cookie);
    }

    [Fact]
    public async Task AfterTheInterval_AnnouncesAgain_AndNotBefore()
    {
        var medium = new LsdTestMedium();
        var clock = new LsdManualClock();
        await using var a = new LocalServiceDiscovery(medium.Join(s_addressA), 6881, [Hash(1)], clock);
        a.Start();
        await Eventually.TrueAsync(() => a.AnnouncesSent == 1 && clock.PendingTimers == 1, s_within, "first announce sent and next one scheduled");

        clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(1, a.AnnouncesSent);

        clock.Advance(TimeSpan.FromMinutes(1));
        await Eventually.TrueAsync(() => a.AnnouncesSent == 2, s_within, "re-announce after 5 min");
        await Eventually.TrueAsync(() => clock.PendingTimers == 1, s_within, "third announce scheduled");
        clock.Advance(TimeSpan.FromMinutes(5));
        await Eventually.TrueAsync(() => a.AnnouncesSent == 3, s_within, "re-announce after 10 min");
    }

    [Fact]
    public async Task ManyKeys_PackedAndSpreadOnePerMinute()
    {
        var medium = new LsdTestMedium();
        var clock = new LsdManualClock();
        var keys = Enumerable.Range(0, 60).Select(Hash).ToList();
        await using var a = new LocalServiceDiscovery(medium.Join(s_addressA), 6881, keys, clock);
        await using var b = new LocalServiceDiscovery(medium.Join(s_addressB), 6882, keys, clock);
        a.Start();
        b.Start();
        await Eventually.TrueAsync(() => a.AnnouncesSent == 1 && clock.PendingTimers == 2 && b.AnnouncesSent == 1 && b.PeersFound > 0, s_within, "first datagram of each round");
        var firstRound = b.PeersFound;
        Assert.InRange(firstRound, 1, 59);

        // 60 keys take 3 datagrams (about 25 per 1400 bytes), sent a minute apart (BEP 14: at most one a minute).
        for (var minute = 1; minute <= 2; minute++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            var expected = minute + 1;
            await Eventually.TrueAsync(() => a.AnnouncesSent == expected && b.AnnouncesSent == expected && clock.PendingTimers == 2, s_within, $"datagram {expected}");
        }

        await Eventually.TrueAsync(() => b.PeersFound == 60, s_within, "b heard all 60 keys from a");
        Assert.Equal(keys.ToHashSet(), Drain(b).Select(p => p.InfoHash).ToHashSet());

        // The round started at 0; the next starts at 5 min, not 1 min after the last datagram.
        clock.Advance(TimeSpan.FromMinutes(2));
        await Task.Delay(50);
        Assert.Equal(3, a.AnnouncesSent);
        clock.Advance(TimeSpan.FromMinutes(1));
        await Eventually.TrueAsync(() => a.AnnouncesSent == 4, s_within, "next round at 5 min");
    }

    [Fact]
    public async Task MalformedDatagram_CountedAndDropped_NodeKeepsListening()
    {
        var medium = new LsdTestMedium();
        var clock = new LsdManualClock();
        await using var a = new LocalServiceDiscovery(medium.Join(s_addressA), 6881, [Hash(1)], clock);
        a.Start();
        var stranger = new IPEndPoint(s_addressB, 6771);

        medium.Inject(Encoding.ASCII.GetBytes("BT-SEARCH * HTTP/1.1\r\nPort: 0\r\n\r\n"), stranger);
        medium.Inject(new byte[3000], stranger);
        medium.Inject(new LsdMessage(7000, [Hash(1)], "someone-else", LsdMessage.IPv4Host).Encode(), stranger);

        await Eventually.TrueAsync(() => a.DatagramsMalformed == 2 && a.PeersFound == 1, s_within, "two dropped, then one peer");
        Assert.Equal([new LsdPeer(Hash(1), new IPEndPoint(s_addressB, 7000))], Drain(a));
    }

    [Fact]
    public async Task SetInfoHashes_NextRoundCarriesNewKeys()
    {
        var medium = new LsdTestMedium();
        var clock = new LsdManualClock();
        await using var a = new LocalServiceDiscovery(medium.Join(s_addressA), 6881, [Hash(1)], clock);
        await using var b = new LocalServiceDiscovery(medium.Join(s_addressB), 6882, [Hash(9)], clock);
        a.Start();
        b.Start();
        await Eventually.TrueAsync(() => a.AnnouncesSent == 1 && b.AnnouncesSent == 1 && clock.PendingTimers == 2 && b.OwnDatagramsIgnored == 1, s_within, "first round");
        Assert.Empty(Drain(b));

        a.SetInfoHashes([Hash(9)]);
        clock.Advance(TimeSpan.FromMinutes(5));

        await Eventually.TrueAsync(() => b.PeersFound == 1, s_within, "b hears a's new key");
        Assert.Equal([new LsdPeer(Hash(9), new IPEndPoint(s_addressA, 6881))], Drain(b));
    }

    [Fact]
    public async Task Dispose_CompletesThePeerChannel()
    {
        var medium = new LsdTestMedium();
        var a = new LocalServiceDiscovery(medium.Join(s_addressA), 6881, [Hash(1)], new LsdManualClock());
        a.Start();
        await a.DisposeAsync();

        await a.Peers.Completion.WaitAsync(s_within);
    }
}
