using Upseed.Node;
using Upseed.Records;
using Upseed.Store;

namespace Upseed.Cli;

/// <summary>The CLI's JSON shapes (camelCase). Kept apart from store rows so the output stays stable.</summary>
internal static class JsonModels
{
    public sealed record PostJson(string Id, string Community, string? Title, string Author, string? AuthorName, long Score, long Comments, long Created);

    public sealed record CommentJson(string Id, string? Parent, string Author, string? AuthorName, string? Body, long Score, long Created, bool Retracted, IReadOnlyList<CommentJson> Replies);

    public sealed record ThreadJson(
        string Id, string Community, string? Title, string? Body, string Author, string? AuthorName, long Score, long Created,
        string? Parent, string? Root, bool Retracted, int CommentCount, IReadOnlyList<CommentJson> Comments);

    public static PostJson Post(PostSummary post) => new(
        post.Id.ToHex(), post.Community, post.Title, Convert.ToHexStringLower(post.Author.Span), post.AuthorName,
        post.Score, post.Comments, post.Created);

    public static ThreadJson Thread(ThreadNode node) => new(
        node.Id.ToHex(), node.Community, node.Title, node.Body, Convert.ToHexStringLower(node.Author.Span), node.AuthorName,
        node.Score, node.Created, node.Parent?.ToHex(), node.Root?.ToHex(), node.Retracted, node.CountReplies(),
        node.Replies.Select(Comment).ToList());

    public static string Magnet(RecordStore store, SignedRecord record) => BoxLinks.Magnet(store, record).ToString();

    private static CommentJson Comment(ThreadNode node) => new(
        node.Id.ToHex(), node.Parent?.ToHex(), Convert.ToHexStringLower(node.Author.Span), node.AuthorName, node.Body,
        node.Score, node.Created, node.Retracted, node.Replies.Select(Comment).ToList());
}
