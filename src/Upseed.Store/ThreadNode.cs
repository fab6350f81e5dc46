using Upseed.Metainfo;

namespace Upseed.Store;

/// <summary>A post or comment with its body and its replies, ordered as asked.</summary>
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
    /// <summary>Comments in this subtree (all depths).</summary>
    public int CountReplies() => Replies.Sum(r => 1 + r.CountReplies());
}
