using System.Net;

namespace Upseed.Torrent.Trackers;

/// <summary>Timing and limits for <see cref="UdpTrackerClient"/> (BEP 15). Every default is written down.</summary>
public sealed record UdpTrackerOptions
{
    /// <summary>
    /// The first retransmission timeout; attempt n waits <c>BaseTimeout · 2^n</c>. Defaults to 15 seconds, BEP 15's
    /// value. Tests set it to milliseconds.
    /// </summary>
    public TimeSpan BaseTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Retransmissions of one packet before giving up with <see cref="TrackerErrorKind.Timeout"/>. Defaults to 8:
    /// BEP 15 lets n grow to 8 (a 3840-second wait), about two hours in all; bound it with the cancellation token or
    /// a smaller value.
    /// </summary>
    public int MaxRetransmissions { get; init; } = 8;

    /// <summary>
    /// How long a connection id is reused. Defaults to 1 minute: BEP 15 lets a client use one for a minute (trackers
    /// accept it for two).
    /// </summary>
    public TimeSpan ConnectionIdLifetime { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Most peers kept from one reply; the rest are dropped. Defaults to <see cref="HttpTrackerCodec.DefaultMaxPeers"/> (200).</summary>
    public int MaxPeers { get; init; } = HttpTrackerCodec.DefaultMaxPeers;

    /// <summary>
    /// Where the client's socket binds. Defaults to null: any address and a free port, dual-stack where the host has
    /// IPv6, IPv4 only where it does not.
    /// </summary>
    public IPEndPoint? LocalEndPoint { get; init; }

    /// <summary>The defaults above.</summary>
    public static UdpTrackerOptions Default { get; } = new();
}
