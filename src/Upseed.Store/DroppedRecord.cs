using Upseed.Metainfo;
using Upseed.Records;

namespace Upseed.Store;

/// <summary>A record the seeding policy dropped, and why (one of <see cref="DropReason"/>), when (unix seconds).</summary>
public sealed record DroppedRecord(InfoHash Id, RecordKind Kind, string? Community, string Reason, long When);

/// <summary>Why the eviction pass dropped a record.</summary>
public static class DropReason
{
    /// <summary>Its community is not carried here any more.</summary>
    public const string NotCarried = "not-carried";

    /// <summary>Older than its retention (longer for higher scores), and nothing pins it.</summary>
    public const string Expired = "expired";

    /// <summary>The store was over its disk or record quota; this was the least worth keeping.</summary>
    public const string OverQuota = "over-quota";

    /// <summary>The post it answers was dropped.</summary>
    public const string ThreadDropped = "thread-dropped";

    /// <summary>A vote on a record that never arrived, older than the retention.</summary>
    public const string Orphan = "orphan";
}

/// <summary>What one eviction pass did: what it dropped, and the store's size before and after.</summary>
public sealed record EvictionReport(
    IReadOnlyList<DroppedRecord> Dropped,
    long RecordsBefore,
    long BytesBefore,
    long RecordsAfter,
    long BytesAfter,
    bool OverQuota);
