namespace Upseed.Dht.Routing;

/// <summary>A stale bucket and a random id inside its range to look up with find_node (BEP 5 bucket refresh).</summary>
public readonly record struct BucketRefresh(Bucket Bucket, NodeId Target);
