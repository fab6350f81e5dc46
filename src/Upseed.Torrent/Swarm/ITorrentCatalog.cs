using Upseed.Metainfo;

namespace Upseed.Torrent.Swarm;

/// <summary>
/// What the engine may seed. Asked once per incoming handshake: the answer is built on demand (for records, from the
/// store), so the engine holds nothing per seeded torrent between connections.
/// </summary>
public interface ITorrentCatalog
{
    /// <summary>The torrent to serve for an info-hash, or null when this node does not seed it.</summary>
    ValueTask<SeedableTorrent?> FindAsync(InfoHash infoHash, CancellationToken cancellationToken);
}
