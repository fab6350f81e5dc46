using System.Net;
using System.Threading.Channels;
using Upseed.Metainfo;

namespace Upseed.Node.Discovery;

/// <summary>Where a known peer was learned.</summary>
public enum PeerSource
{
    /// <summary>A DHT get_peers lookup (BEP 5).</summary>
    Dht,

    /// <summary>A local service discovery announce on the LAN (BEP 14).</summary>
    Lsd,
}

/// <summary>One peer of one swarm: where it listens (TCP), how it was found, when it was last heard of.</summary>
public sealed record KnownPeer(IPEndPoint EndPoint, PeerSource Source, DateTimeOffset LastSeen);

/// <summary>A peer newly added to a swarm's set (see <see cref="KnownPeers.Added"/>).</summary>
public sealed record KnownPeerEvent(InfoHash Swarm, KnownPeer Peer);

/// <summary>
/// The peers discovery found, per swarm key (a post's id or a community's <see cref="SwarmKeys.Community"/>). The
/// node fills it from DHT lookups and LSD; whoever dials peers (community sync, post fetches) reads it with
/// <see cref="Get"/> or <see cref="HintsFor"/>, or follows <see cref="Added"/> for new arrivals. Bounded: at most
/// <see cref="MaxPeersPerSwarm"/> peers per swarm (the least recently seen goes first) and <see cref="MaxSwarms"/>
/// swarms (the least recently updated goes first); peers not heard of for <see cref="PeerLifetime"/> are dropped.
/// Thread-safe.
/// </summary>
public sealed class KnownPeers
{
    private readonly Lock _gate = new();
    private readonly Dictionary<InfoHash, Swarm> _swarms = [];
    private readonly TimeProvider _clock;
    private readonly Channel<KnownPeerEvent> _added;

    /// <param name="clock">For last-seen times and expiry; the system clock when null.</param>
    /// <param name="maxPeersPerSwarm">Peers kept per swarm. Default 64.</param>
    /// <param name="maxSwarms">Swarms kept. Default 4,096 (with 64 peers each, about 20 MB at worst).</param>
    /// <param name="peerLifetime">How long a peer is kept without being heard of again. Default 1 hour (BEP 5 peers expire after 30 min; LSD repeats every 5).</param>
    public KnownPeers(TimeProvider? clock = null, int maxPeersPerSwarm = 64, int maxSwarms = 4096, TimeSpan? peerLifetime = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPeersPerSwarm, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSwarms, 1);
        _clock = clock ?? TimeProvider.System;
        MaxPeersPerSwarm = maxPeersPerSwarm;
        MaxSwarms = maxSwarms;
        PeerLifetime = peerLifetime ?? TimeSpan.FromHours(1);
        _added = Channel.CreateBounded<KnownPeerEvent>(new BoundedChannelOptions(1024)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
        });
    }

    public int MaxPeersPerSwarm { get; }

    public int MaxSwarms { get; }

    public TimeSpan PeerLifetime { get; }

    /// <summary>
    /// Peers as they are first added to a swarm (not refreshes of known ones), for a dialer that reacts at once.
    /// Bounded to 1,024 unread events; the oldest is dropped when full, so a reader that falls behind should re-read
    /// <see cref="Get"/>.
    /// </summary>
    public ChannelReader<KnownPeerEvent> Added => _added.Reader;

    /// <summary>Swarms with at least one peer.</summary>
    public int SwarmCount
    {
        get
        {
            lock (_gate)
            {
                return _swarms.Count;
            }
        }
    }

    /// <summary>Peers over all swarms (a peer in two swarms counts twice).</summary>
    public int PeerCount
    {
        get
        {
            lock (_gate)
            {
                return _swarms.Values.Sum(s => s.Peers.Count);
            }
        }
    }

    /// <summary>Adds or refreshes a peer; true when it was not known in this swarm.</summary>
    public bool Add(InfoHash swarm, IPEndPoint endPoint, PeerSource source)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        if (endPoint.Port == 0)
        {
            return false;
        }

        var now = _clock.GetUtcNow();
        KnownPeer peer;
        lock (_gate)
        {
            if (!_swarms.TryGetValue(swarm, out var set))
            {
                if (_swarms.Count >= MaxSwarms)
                {
                    var stalest = _swarms.MinBy(s => s.Value.Updated).Key;
                    _swarms.Remove(stalest);
                }

                set = new Swarm();
                _swarms[swarm] = set;
            }

            set.Updated = now;
            var isNew = !set.Peers.ContainsKey(endPoint);
            peer = new KnownPeer(endPoint, source, now);
            set.Peers[endPoint] = peer;
            if (!isNew)
            {
                return false;
            }

            if (set.Peers.Count > MaxPeersPerSwarm)
            {
                var oldest = set.Peers.Values.MinBy(p => p.LastSeen)!;
                set.Peers.Remove(oldest.EndPoint);
            }
        }

        _added.Writer.TryWrite(new KnownPeerEvent(swarm, peer));
        return true;
    }

    /// <summary>The live peers of one swarm, most recently seen first.</summary>
    public IReadOnlyList<KnownPeer> Get(InfoHash swarm)
    {
        var cutoff = _clock.GetUtcNow() - PeerLifetime;
        lock (_gate)
        {
            if (!_swarms.TryGetValue(swarm, out var set))
            {
                return [];
            }

            foreach (var stale in set.Peers.Values.Where(p => p.LastSeen < cutoff).ToList())
            {
                set.Peers.Remove(stale.EndPoint);
            }

            if (set.Peers.Count == 0)
            {
                _swarms.Remove(swarm);
                return [];
            }

            return [.. set.Peers.Values.OrderByDescending(p => p.LastSeen)];
        }
    }

    /// <summary>The swarm keys that have peers.</summary>
    public IReadOnlyList<InfoHash> Swarms()
    {
        lock (_gate)
        {
            return [.. _swarms.Keys];
        }
    }

    /// <summary>
    /// Peer hints for fetching a post: its own swarm's peers first (they seed it), then its community's (they carry
    /// the community and may hold it), without duplicates.
    /// </summary>
    public IReadOnlyList<IPEndPoint> HintsFor(InfoHash post, string? community = null)
    {
        var hints = Get(post).Select(p => p.EndPoint);
        if (!string.IsNullOrEmpty(community))
        {
            hints = hints.Concat(Get(SwarmKeys.Community(community)).Select(p => p.EndPoint));
        }

        return [.. hints.Distinct()];
    }

    private sealed class Swarm
    {
        public Dictionary<IPEndPoint, KnownPeer> Peers { get; } = [];

        public DateTimeOffset Updated { get; set; }
    }
}
