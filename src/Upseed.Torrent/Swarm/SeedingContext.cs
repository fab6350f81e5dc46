using Upseed.Torrent.Wire;

namespace Upseed.Torrent.Swarm;

/// <summary>What every seeding session of one listener shares.</summary>
internal sealed record SeedingContext(
    EngineOptions Options,
    PeerWireOptions WireOptions,
    PeerId PeerId,
    TimeProvider Clock,
    EngineCounters Counters,
    int ListenPort)
{
    /// <summary>Who fetched what recently, for peer exchange.</summary>
    public RecentPeers RecentPeers { get; } = new();

    /// <summary>Takes handshakes for swarms that are not torrents (community sync), asked before the catalog.</summary>
    public IPeerHandshakeHandler? HandshakeHandler { get; init; }
}
