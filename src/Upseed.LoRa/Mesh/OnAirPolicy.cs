using Upseed.Records;

namespace Upseed.LoRa.Mesh;

/// <summary>
/// What goes over LoRa: which kinds and communities, how old at most, how large at most, and how far it travels.
/// Airtime is scarce (one LongFast frame ≈ 2 s; EU868 allows 360 s an hour at 10%), so the defaults carry only fresh
/// posts, comments and votes. Every default is written down.
/// </summary>
public sealed record OnAirPolicy
{
    /// <summary>Communities carried; null carries every community. Defaults to null.</summary>
    public IReadOnlySet<string>? Communities { get; init; }

    /// <summary>Kinds carried. Defaults to posts (and comments, see <see cref="Comments"/>) and votes.</summary>
    public IReadOnlySet<RecordKind> Kinds { get; init; } = new HashSet<RecordKind> { RecordKind.Post, RecordKind.Vote };

    /// <summary>Whether comments go too when posts do. Defaults to true.</summary>
    public bool Comments { get; init; } = true;

    /// <summary>Records created longer ago stay off the air (no backfill over LoRa). Defaults to 24 hours.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Frames one record may take. Defaults to 4 (a post of about 800 compact bytes).</summary>
    public int MaxFrames { get; init; } = 4;

    /// <summary>
    /// Relays a record gets at the app layer (boxes store and forward it). Defaults to 12: more than Meshtastic's own
    /// hop limit (3 by default, 7 at most), so a line of ten boxes works. At most 15 (a nibble in the frame).
    /// </summary>
    public int HopBudget { get; init; } = 12;

    /// <summary>How often a box broadcasts a have digest of its recent record ids. Defaults to 15 minutes.</summary>
    public TimeSpan DigestInterval { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Record ids per digest (4 bytes each; 57 fit one frame). Defaults to 32, the newest first.</summary>
    public int DigestMaxIds { get; init; } = 32;

    /// <summary>Decides for one record, without its size (see <see cref="MeshRelay.Publish"/> for that).</summary>
    public OnAirDecision Evaluate(SignedRecord record, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!Kinds.Contains(record.Kind))
        {
            return OnAirDecision.KindNotCarried;
        }

        if (record is PostRecord { IsComment: true } && !Comments)
        {
            return OnAirDecision.CommentsNotCarried;
        }

        if (Communities is not null && (record.Community is null || !Communities.Contains(record.Community)))
        {
            return OnAirDecision.CommunityNotCarried;
        }

        return record.Created < (now - MaxAge).ToUnixTimeSeconds() ? OnAirDecision.TooOld : OnAirDecision.Allowed;
    }
}
