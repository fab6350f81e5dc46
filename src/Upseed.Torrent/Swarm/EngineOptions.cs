namespace Upseed.Torrent.Swarm;

/// <summary>Limits and timers of the BitTorrent engine. Every default is written down.</summary>
public sealed record EngineOptions
{
    /// <summary>Most simultaneous peer connections (incoming and outgoing). Defaults to 200: a Pi handles it with room to spare.</summary>
    public int MaxConnections { get; init; } = 200;

    /// <summary>
    /// Peers unchoked at once per seeding node (upload slots). Defaults to 16: posts are one or two 16 KiB blocks,
    /// so a slot frees within milliseconds and more slots only add contention.
    /// </summary>
    public int UploadSlots { get; init; } = 16;

    /// <summary>How often the choker rotates slots among waiting peers. Defaults to 10 s (BEP 3's customary rechoke).</summary>
    public TimeSpan RechokeInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Time a peer has to send its handshake. Defaults to 10 s; slow-loris peers are cut off here.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A connection with no message for this long is closed. Defaults to 3 minutes (keep-alives come every 2, BEP 3).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>How often we send a keep-alive when otherwise silent. Defaults to 90 s.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>
    /// A requested block not arriving for this long marks the peer stalled; so does a peer that leaves the blocks we
    /// send it unread this long (its TCP window stays shut), and a seeding session drops it. Defaults to 20 s.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Requests a peer may have queued with us. Defaults to 250, libtorrent's <c>reqq</c>; more are refused, not queued.</summary>
    public int MaxQueuedRequests { get; init; } = 250;

    /// <summary>Blocks we keep requested from one peer at once (pipelining). Defaults to 16.</summary>
    public int PipelineDepth { get; init; } = 16;

    /// <summary>Largest torrent the fetcher takes into memory. Defaults to 16 MiB: the engine fetches small torrents (posts are under 64 KiB).</summary>
    public long MaxFetchSize { get; init; } = 16L << 20;

    /// <summary>Client name in the extension handshake's <c>v</c> (BEP 10). Defaults to "Upseed 0.1".</summary>
    public string ClientVersion { get; init; } = "Upseed 0.1";
}
