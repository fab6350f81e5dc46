namespace Upseed.Torrent.Lsd;

/// <summary>Timing and limits of <see cref="LocalServiceDiscovery"/>.</summary>
public sealed record LsdOptions
{
    /// <summary>
    /// Time from the start of one announce round to the start of the next. BEP 14: every 5 minutes per interface.
    /// Defaults to 5 minutes.
    /// </summary>
    public TimeSpan AnnounceInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Least time between two sends, also between the packed messages of one round when the keys do not fit in one
    /// datagram (BEP 14: at most one announce per minute). Defaults to 1 minute.
    /// </summary>
    public TimeSpan MinSendInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Largest datagram sent; received ones above <see cref="LsdMessage.MaxDatagramSize"/> are refused anyway.
    /// BEP 14: keep under 1400 bytes. Defaults to 1400.
    /// </summary>
    public int MaxDatagramSize { get; init; } = LsdMessage.MaxDatagramSize;

    /// <summary>Peers found and not yet read by the caller; the oldest is dropped when full. Defaults to 1024.</summary>
    public int PeerQueueCapacity { get; init; } = 1024;
}
