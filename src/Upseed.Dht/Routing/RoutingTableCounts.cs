namespace Upseed.Dht.Routing;

/// <summary>Routing-table totals for the admin page.</summary>
public readonly record struct RoutingTableCounts(int Nodes, int Good, int Questionable, int Bad, int Buckets, int Replacements);
