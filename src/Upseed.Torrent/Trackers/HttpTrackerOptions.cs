namespace Upseed.Torrent.Trackers;

/// <summary>Limits for <see cref="HttpTrackerClient"/>. Every default is written down.</summary>
public sealed record HttpTrackerOptions
{
    /// <summary>
    /// Longest wait for one request, connect to last body byte. Defaults to 30 seconds, libtorrent's
    /// <c>tracker_completion_timeout</c>.
    /// </summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Largest reply body read. Defaults to <see cref="HttpTrackerCodec.DefaultMaxResponseSize"/> (64 KiB): 200 compact
    /// peers take 1.2 KB, so a bigger announce reply is not one we want.
    /// </summary>
    public int MaxResponseSize { get; init; } = HttpTrackerCodec.DefaultMaxResponseSize;

    /// <summary>Most peers kept from one reply; the rest are dropped. Defaults to <see cref="HttpTrackerCodec.DefaultMaxPeers"/> (200).</summary>
    public int MaxPeers { get; init; } = HttpTrackerCodec.DefaultMaxPeers;

    /// <summary>The defaults above.</summary>
    public static HttpTrackerOptions Default { get; } = new();
}
