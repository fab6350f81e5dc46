namespace Upseed.Dht.Routing;

/// <summary>The result of a routing-table update, with the node to act on when there is one.</summary>
public sealed record InsertResult
{
    private InsertResult(InsertOutcome outcome, DhtNode? node, string? reason)
    {
        Outcome = outcome;
        Node = node;
        Reason = reason;
    }

    public InsertOutcome Outcome { get; }

    /// <summary>
    /// The node concerned: the added or updated node, the replacement for <see cref="InsertOutcome.Replaced"/>, the
    /// node to ping for <see cref="InsertOutcome.PingFirst"/>; null for <see cref="InsertOutcome.Dropped"/> and
    /// <see cref="InsertOutcome.Ignored"/>.
    /// </summary>
    public DhtNode? Node { get; }

    /// <summary>Why the update was ignored or dropped; null otherwise.</summary>
    public string? Reason { get; }

    public static InsertResult Added(DhtNode node) => new(InsertOutcome.Added, node, null);

    public static InsertResult Updated(DhtNode node) => new(InsertOutcome.Updated, node, null);

    public static InsertResult Replaced(DhtNode replacement) => new(InsertOutcome.Replaced, replacement, null);

    public static InsertResult PingFirst(DhtNode node) => new(InsertOutcome.PingFirst, node, null);

    public static InsertResult Dropped(string reason) => new(InsertOutcome.Dropped, null, reason);

    public static InsertResult Ignored(string reason) => new(InsertOutcome.Ignored, null, reason);
}
