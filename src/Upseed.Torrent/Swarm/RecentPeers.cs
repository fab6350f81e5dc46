using System.Net;
using Upseed.Metainfo;

namespace Upseed.Torrent.Swarm;

/// <summary>
/// The peers that recently fetched each hot torrent, with the port they listen on, for peer exchange (BEP 11): a
/// client that downloads a post from the box also learns the other recent downloaders, who seed it too. Bounded in
/// both directions (torrents and peers per torrent), so it costs the same at a million posts as at ten.
/// </summary>
internal sealed class RecentPeers(int torrents = RecentPeers.DefaultTorrents, int peersPerTorrent = RecentPeers.DefaultPeersPerTorrent)
{
    /// <summary>Hot torrents remembered. 1,024 × 25 peers is well under a megabyte.</summary>
    public const int DefaultTorrents = 1024;

    /// <summary>BEP 11 lets a client list up to 25 recently seen peers when it has few live connections.</summary>
    public const int DefaultPeersPerTorrent = 25;

    private readonly Lock _gate = new();
    private readonly Dictionary<InfoHash, LinkedListNode<(InfoHash Torrent, List<IPEndPoint> Peers)>> _index = [];
    private readonly LinkedList<(InfoHash Torrent, List<IPEndPoint> Peers)> _order = new();

    public void Add(InfoHash torrent, IPEndPoint peer)
    {
        lock (_gate)
        {
            if (!_index.TryGetValue(torrent, out var node))
            {
                node = _order.AddFirst((torrent, new List<IPEndPoint>()));
                _index[torrent] = node;
                if (_index.Count > torrents && _order.Last is { } oldest)
                {
                    _index.Remove(oldest.Value.Torrent);
                    _order.RemoveLast();
                }
            }
            else
            {
                _order.Remove(node);
                _order.AddFirst(node);
            }

            var peers = node.Value.Peers;
            peers.Remove(peer);
            peers.Insert(0, peer);
            if (peers.Count > peersPerTorrent)
            {
                peers.RemoveAt(peers.Count - 1);
            }
        }
    }

    /// <summary>Recent peers of a torrent, newest first, without <paramref name="except"/>.</summary>
    public IReadOnlyList<IPEndPoint> Get(InfoHash torrent, IPEndPoint? except)
    {
        lock (_gate)
        {
            return _index.TryGetValue(torrent, out var node)
                ? node.Value.Peers.Where(p => !p.Equals(except)).ToList()
                : [];
        }
    }
}
