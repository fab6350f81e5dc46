using Upseed.Metainfo;

namespace Upseed.Sync.Reconciliation;

/// <summary>
/// One element of a reconciled set: a record's creation time and id. Sets are sorted by timestamp, then by the id's
/// bytes, as Negentropy sorts (PROTOCOLS.md §6), so ranges of time are ranges of the sorted array.
/// </summary>
/// <param name="Timestamp">Creation time in unix seconds. <see cref="ulong.MaxValue"/> is reserved for "infinity".</param>
/// <param name="Id">The record id (its info-hash).</param>
public readonly record struct SyncItem(ulong Timestamp, InfoHash Id) : IComparable<SyncItem>
{
    /// <summary>An item for a record created at <paramref name="created"/> (unix seconds; negative times sort as 0).</summary>
    public static SyncItem From(long created, InfoHash id) => new(created < 0 ? 0 : (ulong)created, id);

    public int CompareTo(SyncItem other)
    {
        var cmp = Timestamp.CompareTo(other.Timestamp);
        return cmp != 0 ? cmp : Id.CompareTo(other.Id);
    }

    public static bool operator <(SyncItem left, SyncItem right) => left.CompareTo(right) < 0;

    public static bool operator >(SyncItem left, SyncItem right) => left.CompareTo(right) > 0;

    public static bool operator <=(SyncItem left, SyncItem right) => left.CompareTo(right) <= 0;

    public static bool operator >=(SyncItem left, SyncItem right) => left.CompareTo(right) >= 0;
}
