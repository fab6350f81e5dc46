namespace Upseed.Store;

/// <summary>
/// How much one voter's vote counts on this box (DESIGN.md, "Votes are seeds": a seedbox of fresh keys must not buy
/// the front page). Weights are fixed-point integers in millionths of a full vote (<see cref="Scale"/>), so scores sum
/// exactly in SQLite; a post's weighted score is the sum of value × weight over each voter's latest vote.
/// <list type="table">
/// <listheader><term>voter</term><description>weight</description></listheader>
/// <item><term>blocked here (<c>upseed block author</c>)</term><description>0</description></item>
/// <item><term>a member: a key in this data folder's <c>keys/</c></term><description>1</description></item>
/// <item><term>followed here (<c>upseed follow</c>)</term><description>1</description></item>
/// <item><term>upvoted by a member (a member's latest vote on one of their posts is +1)</term><description>1</description></item>
/// <item><term>anyone else</term><description><see cref="Unknown"/>: base × work × age, at most base (0.1)</description></item>
/// </list>
/// </summary>
public static class TrustWeight
{
    /// <summary>One full vote, in the store's fixed-point unit (millionths).</summary>
    public const long Scale = 1_000_000;

    /// <summary>The weight of a trusted voter.</summary>
    public const long Full = Scale;

    /// <summary>Default most an unknown voter's vote can weigh: a tenth of a known one's. Setting <c>trust.unknown-weight</c>.</summary>
    public const double DefaultUnknownWeight = 0.1;

    /// <summary>Default days on this box after which an unknown identity's age no longer lowers its weight. Setting <c>trust.full-age-days</c>.</summary>
    public const double DefaultFullAgeDays = 30;

    /// <summary>Proof-of-work bits above the required minimum at which the work factor reaches 1.</summary>
    public const int FullExtraBits = 3;

    /// <summary>The work factor of a voter with no identity record here: it paid no proof of work at all.</summary>
    public const double NoIdentityWorkFactor = 0.1;

    /// <summary>
    /// The weight of an unknown voter, in millionths:
    /// <c>round(Scale × baseWeight × work × age)</c>, where
    /// <c>work = (1 + min(3, max(0, workBits − requiredBits))) / 4</c> (0.25 at the minimum, 1 with 3 extra bits, each
    /// extra bit doubling the cost of the key) or 0.1 when the voter has published no identity, and
    /// <c>age = min(1, (days since this box first stored a record of the voter + 1) / (fullAgeDays + 1))</c>.
    /// A fresh identity at the minimum work weighs 0.1 × 0.25 / 31 ≈ 0.0008 of a known voter, so 500 of them
    /// (≈ 0.4) cannot outweigh 20 known voters. Age counts from first sight on this box, not from the claimed
    /// creation time, which an author can backdate.
    /// </summary>
    public static long Unknown(int? workBits, int requiredBits, double ageDays, double baseWeight = DefaultUnknownWeight, double fullAgeDays = DefaultFullAgeDays)
    {
        var work = workBits is { } bits
            ? (1 + Math.Min(FullExtraBits, Math.Max(0, bits - requiredBits))) / (double)(1 + FullExtraBits)
            : NoIdentityWorkFactor;
        var age = Math.Min(1, (Math.Max(0, ageDays) + 1) / (Math.Max(0, fullAgeDays) + 1));
        var weight = Math.Clamp(baseWeight, 0, 1) * work * age;
        return (long)Math.Round(Scale * weight);
    }

    /// <summary>A weighted score in the store's unit as a number of votes.</summary>
    public static double ToVotes(long scaled) => scaled / (double)Scale;
}
