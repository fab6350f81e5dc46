namespace Upseed.Torrent.Trackers;

/// <summary>Why a tracker request failed; callers retry some kinds and give up on others.</summary>
public enum TrackerErrorKind
{
    /// <summary>The tracker refused: a <c>failure reason</c> (HTTP) or an error packet (UDP action 3).</summary>
    Rejected,

    /// <summary>The reply broke the protocol or a size limit.</summary>
    MalformedReply,

    /// <summary>No reply in time.</summary>
    Timeout,

    /// <summary>The tracker could not be reached, or answered with an HTTP error status.</summary>
    Unreachable,

    /// <summary>The URL's scheme is not http, https or udp, or the tracker has no scrape URL (BEP 48).</summary>
    NotSupported,
}
