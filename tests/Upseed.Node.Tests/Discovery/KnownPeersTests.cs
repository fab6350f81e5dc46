using System.Net;
using Upseed.Metainfo;
using Upseed.Node.Discovery;

namespace Upseed.Node.Tests.Discovery;

public sealed class KnownPeersTests
{
    private static readonly InfoHash Post = InfoHash.Parse("0123456789abcdef0123456789abcdef01234567");
    private readonly FixedClock _clock = new();

    [Fact]
    public void Add_NewPeerIsReported_RefreshIsNot()
    {
        var peers = new KnownPeers(_clock);
        var peer = IPEndPoint.Parse("10.0.0.2:6881");

        Assert.True(peers.Add(Post, peer, PeerSource.Dht));
        Assert.False(peers.Add(Post, peer, PeerSource.Lsd));

        var known = Assert.Single(peers.Get(Post));
        Assert.Equal(peer, known.EndPoint);
        Assert.Equal(PeerSource.Lsd, known.Source);
        Assert.True(peers.Added.TryRead(out var added));
        Assert.Equal(Post, added.Swarm);
        Assert.False(peers.Added.TryRead(out _));
        Assert.Equal(1, peers.SwarmCount);
        Assert.Equal(1, peers.PeerCount);
    }

    [Fact]
    public void Add_PortZeroIsRefused()
    {
        Assert.False(new KnownPeers(_clock).Add(Post, IPEndPoint.Parse("10.0.0.2:0"), PeerSource.Dht));
    }

    [Fact]
    public void Get_MostRecentFirst_AndStalePeersExpire()
    {
        var peers = new KnownPeers(_clock, peerLifetime: TimeSpan.FromMinutes(30));
        peers.Add(Post, IPEndPoint.Parse("10.0.0.1:1"), PeerSource.Dht);
        _clock.Advance(TimeSpan.FromMinutes(20));
        peers.Add(Post, IPEndPoint.Parse("10.0.0.2:2"), PeerSource.Dht);

        Assert.Equal(["10.0.0.2:2", "10.0.0.1:1"], peers.Get(Post).Select(p => p.EndPoint.ToString()));
        _clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(["10.0.0.2:2"], peers.Get(Post).Select(p => p.EndPoint.ToString()));
        _clock.Advance(TimeSpan.FromMinutes(30));
        Assert.Empty(peers.Get(Post));
        Assert.Equal(0, peers.SwarmCount);
    }

    [Fact]
    public void Add_BoundedPerSwarmAndInSwarms()
    {
        var peers = new KnownPeers(_clock, maxPeersPerSwarm: 3, maxSwarms: 2);
        for (var i = 1; i <= 5; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            peers.Add(Post, new IPEndPoint(IPAddress.Parse($"10.0.0.{i}"), 6881), PeerSource.Dht);
        }

        Assert.Equal(["10.0.0.5", "10.0.0.4", "10.0.0.3"], peers.Get(Post).Select(p => p.EndPoint.Address.ToString()));

        _clock.Advance(TimeSpan.FromSeconds(1));
        peers.Add(SwarmKeys.Community("a"), IPEndPoint.Parse("10.0.1.1:1"), PeerSource.Lsd);
        _clock.Advance(TimeSpan.FromSeconds(1));
        peers.Add(SwarmKeys.Community("b"), IPEndPoint.Parse("10.0.1.2:1"), PeerSource.Lsd);

        Assert.Equal(2, peers.SwarmCount);
        Assert.Empty(peers.Get(Post));
    }

    [Fact]
    public void HintsFor_PostSwarmFirst_ThenCommunity_WithoutDuplicates()
    {
        var peers = new KnownPeers(_clock);
        peers.Add(SwarmKeys.Community("garden"), IPEndPoint.Parse("10.0.0.9:9"), PeerSource.Lsd);
        peers.Add(SwarmKeys.Community("garden"), IPEndPoint.Parse("10.0.0.1:1"), PeerSource.Lsd);
        peers.Add(Post, IPEndPoint.Parse("10.0.0.1:1"), PeerSource.Dht);

        Assert.Equal(["10.0.0.1:1", "10.0.0.9:9"], peers.HintsFor(Post, "garden").Select(p => p.ToString()));
        Assert.Equal(["10.0.0.1:1"], peers.HintsFor(Post).Select(p => p.ToString()));
    }
}
