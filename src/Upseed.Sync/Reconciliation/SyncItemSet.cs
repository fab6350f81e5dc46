namespace Upseed.Sync.Reconciliation;

/// <summary>
/// One side's items for one reconciliation: a sorted array, each item's salted hash, and prefix sums of the hashes
/// and checks, so the summary of any range costs two subtractions and finding a bound is a binary search. Memory is
/// four words per item; nothing is allocated per item after construction. Immutable: a reconciliation works on a
/// snapshot, and records that arrive meanwhile travel by push.
/// </summary>
public sealed class SyncItemSet
{
    private readonly SyncItem[] _items;
    private readonly ulong[] _hashes;
    private readonly ulong[] _sums;
    private readonly ulong[] _checks;

    /// <param name="sortedItems">Strictly ascending items (no duplicates); the array is kept, not copied.</param>
    /// <param name="salt">The session's 16-byte salt.</param>
    /// <exception cref="ArgumentException">Items out of order, duplicated, or at the reserved timestamp.</exception>
    public SyncItemSet(SyncItem[] sortedItems, ReadOnlySpan<byte> salt)
    {
        ArgumentNullException.ThrowIfNull(sortedItems);
        var hasher = new ItemHasher(salt);
        _items = sortedItems;
        _hashes = new ulong[sortedItems.Length];
        _sums = new ulong[sortedItems.Length + 1];
        _checks = new ulong[sortedItems.Length + 1];
        for (var i = 0; i < sortedItems.Length; i++)
        {
            if (sortedItems[i].Timestamp == ulong.MaxValue)
            {
                throw new ArgumentException("The largest timestamp is reserved for infinity.", nameof(sortedItems));
            }

            if (i > 0 && sortedItems[i - 1].CompareTo(sortedItems[i]) >= 0)
            {
                throw new ArgumentException($"Items must be strictly ascending (at index {i}).", nameof(sortedItems));
            }

            var hash = hasher.Hash(sortedItems[i].Id);
            _hashes[i] = hash;
            _sums[i + 1] = _sums[i] + hash;
            _checks[i + 1] = _checks[i] + ItemHasher.Check(hash);
        }
    }

    public int Count => _items.Length;

    public SyncItem this[int index] => _items[index];

    /// <summary>The items, in order.</summary>
    public ReadOnlySpan<SyncItem> Items => _items;

    public ulong Hash(int index) => _hashes[index];

    /// <summary>The summary of items [<paramref name="lower"/>, <paramref name="upper"/>).</summary>
    public RangeSummary Summary(int lower, int upper) => new(
        (ulong)(upper - lower),
        (_sums[upper] - _sums[lower]) & RangeSummary.SumMask,
        (uint)((_checks[upper] - _checks[lower]) & RangeSummary.CheckMask));

    /// <summary>The first index in [<paramref name="lower"/>, <paramref name="upper"/>) whose item is at or above the bound (or <paramref name="upper"/>).</summary>
    public int LowerBound(int lower, int upper, SyncBound bound)
    {
        if (bound.IsInfinity)
        {
            return upper;
        }

        var lo = lower;
        var hi = upper;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            if (bound.CompareItem(_items[mid]) < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>The index of the item with this hash in [<paramref name="lower"/>, <paramref name="upper"/>), or -1.</summary>
    public int IndexOfHash(int lower, int upper, ulong hash) =>
        _hashes.AsSpan(lower, upper - lower).IndexOf(hash) is var i and >= 0 ? lower + i : -1;
}
