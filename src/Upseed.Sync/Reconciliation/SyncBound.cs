using Upseed.Metainfo;

namespace Upseed.Sync.Reconciliation;

/// <summary>
/// The upper end (exclusive) of a range: a timestamp and the first <see cref="PrefixLength"/> bytes of an id, the
/// rest taken as zero. Bounds between neighbours use the shortest prefix that separates them (Negentropy's
/// <c>getMinimalBound</c>, PROTOCOLS.md §6), usually none at all because neighbours differ in time.
/// </summary>
public readonly record struct SyncBound
{
    public SyncBound(ulong timestamp, InfoHash prefix, int prefixLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(prefixLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(prefixLength, InfoHash.Size);
        Timestamp = timestamp;
        PrefixLength = prefixLength;
        Prefix = prefixLength == InfoHash.Size ? prefix : Truncate(prefix, prefixLength);
    }

    /// <summary>Above every item: the end of the whole set.</summary>
    public static SyncBound Infinity { get; } = new(ulong.MaxValue, default, 0);

    /// <summary>Below every item.</summary>
    public static SyncBound Zero { get; } = new(0, default, 0);

    public ulong Timestamp { get; }

    /// <summary>The id prefix, zero-padded to 20 bytes.</summary>
    public InfoHash Prefix { get; }

    public int PrefixLength { get; }

    public bool IsInfinity => Timestamp == ulong.MaxValue;

    /// <summary>The shortest bound above <paramref name="previous"/> and at or below <paramref name="current"/>.</summary>
    public static SyncBound Between(SyncItem previous, SyncItem current)
    {
        if (current.Timestamp != previous.Timestamp)
        {
            return new SyncBound(current.Timestamp, default, 0);
        }

        Span<byte> a = stackalloc byte[InfoHash.Size];
        Span<byte> b = stackalloc byte[InfoHash.Size];
        previous.Id.CopyTo(a);
        current.Id.CopyTo(b);
        var shared = a.CommonPrefixLength(b);
        return new SyncBound(current.Timestamp, current.Id, Math.Min(shared + 1, InfoHash.Size));
    }

    /// <summary>Negative when <paramref name="item"/> lies below this bound (inside a range that ends here).</summary>
    public int CompareItem(SyncItem item)
    {
        if (item.Timestamp != Timestamp)
        {
            return item.Timestamp < Timestamp ? -1 : 1;
        }

        return item.Id.CompareTo(Prefix);
    }

    /// <summary>Orders bounds as the points they stand for: (timestamp, zero-padded prefix).</summary>
    public int CompareTo(SyncBound other)
    {
        var cmp = Timestamp.CompareTo(other.Timestamp);
        return cmp != 0 ? cmp : Prefix.CompareTo(other.Prefix);
    }

    private static InfoHash Truncate(InfoHash id, int length)
    {
        Span<byte> bytes = stackalloc byte[InfoHash.Size];
        id.CopyTo(bytes);
        bytes[length..].Clear();
        return new InfoHash(bytes);
    }
}
