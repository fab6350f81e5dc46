using Upseed.Metainfo;

namespace Upseed.Store;

/// <summary>
/// A post or comment with its body and its replies, ordered as asked. <see cref="Score"/> is the raw sum of votes,
/// <see cref="WeightedScore"/> the trust-weighted one.
/// </summary>
public sealed record ThreadNode(
    InfoHash Id,
    string Community,
    string? Title,
    string? Body,
    ReadOnlyMemory<byte> Author,
    string? AuthorName,
    long Score,
    long Created,
    InfoHash? Parent,
    InfoHash? Root,
    bool Retracted,
    IReadOnlyList<ThreadNode> Replies)
{
    /// <summary>The sum of every voter's latest vote, unweighted: the same as <see cref="Score"/>.</summary>
    public long RawScore => Score;

    /// <summary>The trust-weighted score in votes; comments sort by it.</summary>
    public double WeightedScore { get; init; }

    /// <summary>For a record its author retracted with an edit: the replacement's id.</summary>
    public InfoHash? ReplacedBy { get; init; }

    /// <summary>Nodes seen seeding it now.</summary>
    public long Seeders { get; init; }

    /// <summary>Comments in this subtree (all depths).</summary>
    public int CountReplies() => Replies.Sum(r => 1 + r.CountReplies());
}
