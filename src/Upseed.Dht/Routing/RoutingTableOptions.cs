namespace Upseed.Dht.Routing;

/// <summary>Limits and timings of a <see cref="RoutingTable"/>. Every default comes from BEP 5.</summary>
public sealed record RoutingTableOptions
{
    /// <summary>K, the most nodes a bucket holds (BEP 5: "Each bucket can only hold K nodes, currently eight"). Defaults to 8.</summary>
    public int BucketSize { get; init; } = 8;

    /// <summary>
    /// How long a node stays good after its last response (or its last query, once it has ever responded).
    /// BEP 5: "After 15 minutes of inactivity, a node becomes questionable." Defaults to 15 minutes.
    /// </summary>
    public TimeSpan GoodNodeWindow { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Failed queries in a row after which a node is bad. BEP 5 only says "multiple queries in a row" and suggests
    /// trying a ping "once more before discarding the node"; 3 gives one extra try beyond that, so a single lost
    /// datagram pair never evicts a node. Defaults to 3.
    /// </summary>
    public int MaxConsecutiveFailures { get; init; } = 3;

    /// <summary>
    /// A bucket unchanged for this long needs a refresh (BEP 5: "Buckets that have not been changed in 15 minutes
    /// should be refreshed"). Defaults to 15 minutes.
    /// </summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Newcomers kept per full bucket while its questionable nodes are pinged (the replacement cache of Kademlia §4.1,
    /// which BEP 5 leaves to the implementation). Defaults to 8 (one per slot).
    /// </summary>
    public int MaxReplacements { get; init; } = 8;

    public static RoutingTableOptions Default { get; } = new();
}
