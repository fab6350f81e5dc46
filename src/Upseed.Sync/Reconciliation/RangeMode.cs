namespace Upseed.Sync.Reconciliation;

/// <summary>What a range in a reconciliation message carries (one byte on the wire).</summary>
public enum RangeMode : byte
{
    /// <summary>Nothing to do here: the sender found the range equal or settled (Negentropy's Skip).</summary>
    Skip = 0,

    /// <summary>The sender's <see cref="RangeSummary"/> of the range (in place of Negentropy's 16-byte fingerprint).</summary>
    Summary = 1,

    /// <summary>
    /// The salted hashes of all the sender's items in the range, in order (Negentropy's IdList, with 6-byte hashes for
    /// 20-byte ids). An empty list means "I have none: send me yours". The receiver sends the items the list lacks
    /// and answers with <see cref="NeedIndexes"/> for the entries it lacks.
    /// </summary>
    HashList = 2,

    /// <summary>
    /// The positions, in the receiver's own <see cref="HashList"/> for this range, of the items the sender lacks: the
    /// receiver sends those records.
    /// </summary>
    NeedIndexes = 3,

    /// <summary>The hashes of items in the range the sender lacks (found from two summaries): the receiver sends them.</summary>
    NeedHashes = 4,
}
