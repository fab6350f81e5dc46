using Upseed.Metainfo;

namespace Upseed.Torrent.Trackers;

/// <summary>
/// What a client tells a tracker about one torrent (BEP 3 "Trackers"; BEP 15 carries the same fields).
/// The tracker takes the peer's address from the packet's source, so there is no <c>ip</c> field.
/// </summary>
/// <param name="InfoHash">The torrent.</param>
/// <param name="PeerId">Our peer id, as sent in handshakes.</param>
/// <param name="Port">The TCP port we accept peers on, 1 to 65535.</param>
/// <param name="Uploaded">Bytes uploaded since the <see cref="AnnounceEvent.Started"/> announce.</param>
/// <param name="Downloaded">Bytes downloaded since the <see cref="AnnounceEvent.Started"/> announce.</param>
/// <param name="Left">Bytes still to download; 0 for a seed.</param>
public sealed record AnnounceRequest(
    InfoHash InfoHash,
    PeerId PeerId,
    int Port,
    long Uploaded,
    long Downloaded,
    long Left)
{
    /// <summary>Defaults to <see cref="AnnounceEvent.None"/>, a regular re-announce.</summary>
    public AnnounceEvent Event { get; init; } = AnnounceEvent.None;

    /// <summary>
    /// How many peers to ask for. Defaults to null: HTTP leaves <c>numwant</c> out and UDP sends -1, both meaning
    /// "the tracker's default" (opentracker: 50).
    /// </summary>
    public int? NumWant { get; init; }

    /// <summary>
    /// A random number that stays the same for this client across announces, so a tracker can recognise us when our
    /// address changes (BEP 3 leaves it unspecified; BEP 15 has it as 32 bits). Defaults to null: not sent (UDP sends 0).
    /// </summary>
    public uint? Key { get; init; }

    /// <summary>Checks what both wire formats need: a peer id, a port in 1–65535, non-negative byte counts, a known event.</summary>
    /// <exception cref="ArgumentException">The peer id is missing.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A field is out of range.</exception>
    internal static void ThrowIfInvalid(AnnounceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.PeerId.Span.Length != PeerId.Size)
        {
            throw new ArgumentException("The request has no peer id (a default PeerId).", nameof(request));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(request.Port, 1, nameof(request));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(request.Port, ushort.MaxValue, nameof(request));
        ArgumentOutOfRangeException.ThrowIfNegative(request.Uploaded, nameof(request));
        ArgumentOutOfRangeException.ThrowIfNegative(request.Downloaded, nameof(request));
        ArgumentOutOfRangeException.ThrowIfNegative(request.Left, nameof(request));
        if (!Enum.IsDefined(request.Event))
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.Event, "Unknown announce event.");
        }
    }
}
