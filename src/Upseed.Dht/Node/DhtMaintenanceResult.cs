namespace Upseed.Dht.Node;

/// <summary>What one round of routing-table maintenance did.</summary>
/// <param name="Pinged">Questionable nodes pinged (BEP 5: 15 minutes silent).</param>
/// <param name="Answered">How many of them answered (and are good again).</param>
/// <param name="BucketsRefreshed">Buckets refreshed with a find_node lookup of a random id in their range.</param>
/// <param name="Counts">The routing table's totals after the round.</param>
public sealed record DhtMaintenanceResult(int Pinged, int Answered, int BucketsRefreshed, Routing.RoutingTableCounts Counts);
