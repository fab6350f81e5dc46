namespace Upseed.Torrent.Trackers;

/// <summary>The <c>action</c> field that starts every BEP 15 packet.</summary>
public enum UdpTrackerAction
{
    Connect = 0,
    Announce = 1,
    Scrape = 2,

    /// <summary>The tracker's refusal; the rest of the packet is a message.</summary>
    Error = 3,
}
