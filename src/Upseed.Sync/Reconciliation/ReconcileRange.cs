namespace Upseed.Sync.Reconciliation;

/// <summary>
/// A range as a value, for tests, tools and logs (the reconciler itself reads ranges in place with
/// <see cref="ReconcileReader"/>). <see cref="Entries"/> holds hashes (hash lists, need-hash lists) or positions
/// (need-index lists).
/// </summary>
public sealed record ReconcileRange(SyncBound Bound, RangeMode Mode, RangeSummary Summary, IReadOnlyList<ulong> Entries)
{
    public bool Equals(ReconcileRange? other) =>
        other is not null && Bound == other.Bound && Mode == other.Mode && Summary == other.Summary && Entries.SequenceEqual(other.Entries);

    public override int GetHashCode() => HashCode.Combine(Bound, Mode, Summary, Entries.Count);
}
