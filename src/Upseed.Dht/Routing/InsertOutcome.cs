namespace Upseed.Dht.Routing;

/// <summary>What <see cref="RoutingTable.Seen"/> or <see cref="RoutingTable.Failed"/> did.</summary>
public enum InsertOutcome
{
    /// <summary>The node was new and took a free slot (possibly after one or more splits).</summary>
    Added,

    /// <summary>The node was already in the table; its times or failure count were updated.</summary>
    Updated,

    /// <summary>A bad node was evicted; <see cref="InsertResult.Node"/> is the node that took its slot.</summary>
    Replaced,

    /// <summary>
    /// The bucket is full but holds questionable nodes: ping <see cref="InsertResult.Node"/> (the least recently seen),
    /// then report its answer with <see cref="RoutingTable.Seen"/> or its silence with <see cref="RoutingTable.Failed"/>.
    /// The newcomer waits in the bucket's replacement cache.
    /// </summary>
    PingFirst,

    /// <summary>The bucket is full of good nodes and cannot split: the newcomer was dropped (BEP 5).</summary>
    Dropped,

    /// <summary>Nothing changed; <see cref="InsertResult.Reason"/> says why.</summary>
    Ignored,
}
