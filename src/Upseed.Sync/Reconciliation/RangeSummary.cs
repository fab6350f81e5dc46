namespace Upseed.Sync.Reconciliation;

/// <summary>
/// What one side says about its items in a range: how many, the sum of their salted 48-bit hashes (mod 2^48) and the
/// sum of a 24-bit check of each hash (mod 2^24). Equal summaries mean equal ranges (a false match is about 2^-72
/// for honest sets, and the salt changes every session). When the two sides differ by exactly one item, the
/// difference of the sums is that item's hash and the check confirms it, so a single missing record is found in one
/// step instead of by splitting the range down to an id list.
/// </summary>
public readonly record struct RangeSummary(ulong Count, ulong Sum, uint Check)
{
    /// <summary>Bytes of the sum on the wire.</summary>
    public const int SumSize = 6;

    /// <summary>Bytes of the check on the wire.</summary>
    public const int CheckSize = 3;

    public const ulong SumMask = (1UL << (SumSize * 8)) - 1;

    public const uint CheckMask = (1U << (CheckSize * 8)) - 1;

    /// <summary>
    /// When <paramref name="larger"/> holds exactly one item more than <paramref name="smaller"/> and the rest agree,
    /// that item's hash; otherwise false (up to a 2^-24 chance of a wrong candidate, which the holder fails to find).
    /// </summary>
    public static bool TryFindSingleDifference(RangeSummary larger, RangeSummary smaller, out ulong hash)
    {
        hash = 0;
        if (larger.Count != smaller.Count + 1)
        {
            return false;
        }

        var candidate = (larger.Sum - smaller.Sum) & SumMask;
        if (((larger.Check - smaller.Check) & CheckMask) != ItemHasher.Check(candidate))
        {
            return false;
        }

        hash = candidate;
        return true;
    }
}
