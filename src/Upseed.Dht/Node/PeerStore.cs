using System.Net;

namespace Upseed.Dht.Node;

/// <summary>Announced peers per info-hash, bounded in hashes and in peers per hash, each with an expiry.</summary>
internal sealed class PeerStore
{
    private readonly Dictionary<NodeId, Dictionary<IPEndPoint, (DateTimeOffset Expires, bool Seed)>> _peers = [];
    private readonly DhtNodeOptions _options;

    public PeerStore(DhtNodeOptions options) => _options = options;

    public int InfoHashCount => _peers.Count;

    public bool Add(NodeId infoHash, IPEndPoint peer, bool seed, DateTimeOffset now)
    {
        if (!_peers.TryGetValue(infoHash, out var set))
        {
            if (_peers.Count >= _options.MaxInfoHashes)
            {
                Purge(now);
                if (_peers.Count >= _options.MaxInfoHashes)
                {
                    return false;
                }
            }

            set = [];
            _peers[infoHash] = set;
        }

        if (!set.ContainsKey(peer) && set.Count >= _options.MaxPeersPerInfoHash)
        {
            PurgeSet(set, now);
            if (set.Count >= _options.MaxPeersPerInfoHash)
            {
                // Replace the entry closest to expiry, so fresh announces win.
                var oldest = set.MinBy(p => p.Value.Expires).Key;
                set.Remove(oldest);
            }
        }

        set[peer] = (now + _options.PeerTtl, seed);
        return true;
    }

    public IReadOnlyList<(IPEndPoint Peer, bool Seed)> Get(NodeId infoHash, DateTimeOffset now)
    {
        if (!_peers.TryGetValue(infoHash, out var set))
        {
            return [];
        }

        PurgeSet(set, now);
        if (set.Count == 0)
        {
            _peers.Remove(infoHash);
            return [];
        }

        return [.. set.Select(p => (p.Key, p.Value.Seed))];
    }

    private static void PurgeSet(Dictionary<IPEndPoint, (DateTimeOffset Expires, bool Seed)> set, DateTimeOffset now)
    {
        foreach (var expired in set.Where(p => p.Value.Expires <= now).Select(p => p.Key).ToList())
        {
            set.Remove(expired);
        }
    }

    private void Purge(DateTimeOffset now)
    {
        foreach (var (hash, set) in _peers.ToList())
        {
            PurgeSet(set, now);
            if (set.Count == 0)
            {
                _peers.Remove(hash);
            }
        }
    }
}
