using System.Net;

namespace Upseed.Torrent.Trackers;

/// <summary>A tracker's successful reply to an announce (BEP 3, BEP 23, BEP 7 <c>peers6</c>, BEP 15).</summary>
/// <param name="Interval">How long to wait before the next regular announce.</param>
/// <param name="MinInterval">The shortest re-announce interval the tracker accepts, when it says (HTTP only).</param>
/// <param name="Seeders">Peers with the whole torrent (<c>complete</c>), when the tracker says.</param>
/// <param name="Leechers">Peers still downloading (<c>incomplete</c>), when the tracker says.</param>
/// <param name="Peers">
/// Peers to try, IPv4 first, then IPv6, as the tracker listed them (capped by the client's limit). May include
/// ourselves: opentracker does not leave the announcing peer out.
/// </param>
/// <param name="WarningMessage">A <c>warning message</c> the tracker wants shown (HTTP only).</param>
public sealed record AnnounceResponse(
    TimeSpan Interval,
    TimeSpan? MinInterval,
    int? Seeders,
    int? Leechers,
    IReadOnlyList<IPEndPoint> Peers,
    string? WarningMessage);
