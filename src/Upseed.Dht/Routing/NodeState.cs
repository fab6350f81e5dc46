namespace Upseed.Dht.Routing;

/// <summary>Liveness of a routing-table node, as defined in BEP 5 "Routing Table".</summary>
public enum NodeState
{
    /// <summary>Responded to one of our queries within the last 15 minutes, or has ever responded and queried us within the last 15 minutes.</summary>
    Good,

    /// <summary>Not heard from within the last 15 minutes (or never responded), and not yet bad.</summary>
    Questionable,

    /// <summary>Failed to respond to <see cref="RoutingTableOptions.MaxConsecutiveFailures"/> queries in a row.</summary>
    Bad,
}
