using Upseed.Torrent.Swarm;

namespace Upseed.Torrent.Tests.Swarm;

public class UploadChokerTests
{
    private static readonly TimeSpan s_interval = TimeSpan.FromSeconds(10);
    private readonly ManualTimeProvider _clock = new();
    private readonly List<string> _log = [];

    [Fact]
    public void Request_UpToTheSlots_GrantedThenQueued()
    {
        var choker = new UploadChoker(2, _clock);
        var (a, b, c) = (Peer("a"), Peer("b"), Peer("c"));

        Assert.True(choker.Request(a));
        Assert.True(choker.Request(b));
        Assert.False(choker.Request(c));

        Assert.Equal(2, choker.Unchoked);
        Assert.Equal(1, choker.Waiting);
        Assert.Empty(_log); // Request answers through its result; the session sends its own unchoke.
    }

    [Fact]
    public void Request_Repeated_IsIdempotent()
    {
        var choker = new UploadChoker(1, _clock);
        var (a, b) = (Peer("a"), Peer("b"));

        Assert.True(choker.Request(a));
        Assert.True(choker.Request(a));
        Assert.False(choker.Request(b));
        Assert.False(choker.Request(b));

        Assert.Equal(1, choker.Unchoked);
        Assert.Equal(1, choker.Waiting);
    }

    [Fact]
    public void Release_SlotHolder_HandsTheSlotToWaitersInArrivalOrder()
    {
        var choker = new UploadChoker(2, _clock);
        var (a, b, c, d, e) = (Peer("a"), Peer("b"), Peer("c"), Peer("d"), Peer("e"));
        choker.Request(a);
        choker.Request(b);
        choker.Request(c);
        choker.Request(d);
        choker.Request(e);

        choker.Release(b);
        choker.Release(a);
        choker.Release(c);

        Assert.Equal(["unchoke c", "unchoke d", "unchoke e"], _log);
        Assert.Equal(2, choker.Unchoked);
        Assert.Equal(0, choker.Waiting);
    }

    [Fact]
    public void Release_WaitingPeer_LeavesTheLineWithoutTouchingSlots()
    {
        var choker = new UploadChoker(1, _clock);
        var (a, b, c) = (Peer("a"), Peer("b"), Peer("c"));
        choker.Request(a);
        choker.Request(b);
        choker.Request(c);

        choker.Release(b);
        choker.Release(a);

        Assert.Equal(["unchoke c"], _log);
        Assert.Equal(1, choker.Unchoked);
        Assert.Equal(0, choker.Waiting);
    }

    [Fact]
    public void Release_UnknownPeer_DoesNothing()
    {
        var choker = new UploadChoker(1, _clock);
        choker.Request(Peer("a"));
        choker.Request(Peer("b"));

        choker.Release(Peer("stranger"));

        Assert.Empty(_log);
        Assert.Equal(1, choker.Unchoked);
        Assert.Equal(1, choker.Waiting);
    }

    [Fact]
    public void Rechoke_HolderOlderThanIntervalWhilePeersWait_Rotates()
    {
        var choker = new UploadChoker(1, _clock);
        var (a, b) = (Peer("a"), Peer("b"));
        choker.Request(a);
        choker.Request(b);

        _clock.Advance(s_interval - TimeSpan.FromTicks(1));
        choker.Rechoke(s_interval);
        Assert.Empty(_log);

        _clock.Advance(TimeSpan.FromTicks(1));
        choker.Rechoke(s_interval);
        Assert.Equal(["choke a", "unchoke b"], _log);

        // a went to the back of the line; b's slot is new, so it keeps it until it too has held it an interval.
        _log.Clear();
        _clock.Advance(s_interval / 2);
        choker.Rechoke(s_interval);
        Assert.Empty(_log);
        _clock.Advance(s_interval / 2);
        choker.Rechoke(s_interval);
        Assert.Equal(["choke b", "unchoke a"], _log);
        Assert.Equal(1, choker.Unchoked);
        Assert.Equal(1, choker.Waiting);
    }

    [Fact]
    public void Rechoke_NobodyWaiting_HoldersKeepTheirSlots()
    {
        var choker = new UploadChoker(2, _clock);
        choker.Request(Peer("a"));
        choker.Request(Peer("b"));

        _clock.Advance(s_interval * 5);
        choker.Rechoke(s_interval);

        Assert.Empty(_log);
        Assert.Equal(2, choker.Unchoked);
    }

    [Fact]
    public void Rechoke_FewerWaitersThanExpiredHolders_ChokesTheOldestFirst()
    {
        var choker = new UploadChoker(3, _clock);
        var (a, b, c, d) = (Peer("a"), Peer("b"), Peer("c"), Peer("d"));
        choker.Request(b);
        _clock.Advance(TimeSpan.FromSeconds(1));
        choker.Request(a);
        _clock.Advance(TimeSpan.FromSeconds(1));
        choker.Request(c);
        choker.Request(d);

        _clock.Advance(s_interval);
        choker.Rechoke(s_interval);

        Assert.Equal(["choke b", "unchoke d"], _log);
        Assert.Equal(3, choker.Unchoked);
        Assert.Equal(1, choker.Waiting);
    }

    [Fact]
    public void Rechoke_ThenRelease_RotatedPeerWaitsItsTurn()
    {
        var choker = new UploadChoker(1, _clock);
        var (a, b, c) = (Peer("a"), Peer("b"), Peer("c"));
        choker.Request(a);
        choker.Request(b);
        _clock.Advance(s_interval);
        choker.Rechoke(s_interval); // a -> back of the line, b holds
        choker.Request(c);          // c queues behind a

        choker.Release(b);

        Assert.Equal(["choke a", "unchoke b", "unchoke a"], _log);
        Assert.Equal(1, choker.Waiting);
    }

    [Fact]
    public void Constructor_ZeroSlots_StillGrantsOne()
    {
        var choker = new UploadChoker(0, _clock);

        Assert.True(choker.Request(Peer("a")));
        Assert.False(choker.Request(Peer("b")));
    }

    private FakePeer Peer(string name) => new(name, _log);

    private sealed class FakePeer(string name, List<string> log) : IChokeable
    {
        public void Choke() => log.Add($"choke {name}");

        public void Unchoke() => log.Add($"unchoke {name}");

        public override string ToString() => name;
    }
}
