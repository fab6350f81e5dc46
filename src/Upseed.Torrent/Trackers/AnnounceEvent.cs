namespace Upseed.Torrent.Trackers;

/// <summary>
/// The <c>event</c> of an announce (BEP 3). The numbers are the HTTP order, not the UDP wire values: BEP 15 numbers
/// them 0 none, 1 completed, 2 started, 3 stopped, and the UDP codec maps them.
/// </summary>
public enum AnnounceEvent
{
    /// <summary>A regular announce at the tracker's interval; HTTP leaves <c>event</c> out.</summary>
    None,

    /// <summary>The first announce of a download.</summary>
    Started,

    /// <summary>The download has just finished (sent once, not when starting as a seed).</summary>
    Completed,

    /// <summary>The client is leaving the swarm.</summary>
    Stopped,
}
