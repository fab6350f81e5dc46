namespace Upseed.Dht.Node;

/// <summary>Tunables of a <see cref="DhtNode"/>. The defaults follow BEP 5 and common practice (libtorrent).</summary>
public sealed record DhtNodeOptions
{
    /// <summary>Gets how long a request waits for its reply before the node counts as failed. Default 5 s.</summary>
    public TimeSpan QueryTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets how often the token secret rotates. Default 5 min; the previous secret stays valid, so a token
    /// lives between one and two rotations (up to 10 min), as BEP 5 suggests.</summary>
    public TimeSpan TokenRotation { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets the token length in bytes (SHA-1 of IP and secret, truncated). Default 8.</summary>
    public int TokenLength { get; init; } = 8;

    /// <summary>Gets the most peers stored per info-hash. Default 200.</summary>
    public int MaxPeersPerInfoHash { get; init; } = 200;

    /// <summary>Gets the most info-hashes with stored peers. Default 5,000.</summary>
    public int MaxInfoHashes { get; init; } = 5000;

    /// <summary>Gets the most peers returned in one get_peers reply (keeps the reply under one datagram). Default 50.</summary>
    public int MaxValuesPerReply { get; init; } = 50;

    /// <summary>Gets how long an announced peer is kept. Default 30 min (announcers re-announce sooner).</summary>
    public TimeSpan PeerTtl { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Gets the sustained datagrams per second accepted from one IP (token bucket). Default 50.</summary>
    public double RateLimitPerSecond { get; init; } = 50;

    /// <summary>Gets the token bucket's burst size per IP. Default 100.</summary>
    public double RateLimitBurst { get; init; } = 100;

    /// <summary>Gets K, the bucket size and the number of closest nodes a lookup converges on. Default 8.</summary>
    public int K { get; init; } = 8;

    /// <summary>Gets alpha, the parallel requests of an iterative lookup. Default 3.</summary>
    public int Alpha { get; init; } = 3;

    /// <summary>Gets the most requests one lookup sends before it gives up. Default 200.</summary>
    public int MaxLookupMessages { get; init; } = 200;

    /// <summary>
    /// Gets the most BEP 44 items stored for others. A full store drops expired items, then the item farthest from our
    /// id when a closer one arrives, else refuses with 202. Default 5,000 (at most about 5.5 MB of values).
    /// </summary>
    public int MaxItems { get; init; } = 5000;

    /// <summary>
    /// Gets how long a stored BEP 44 item lives unless re-put. BEP 44: items may expire after 2 hours and publishers
    /// re-put hourly. Default 2 h.
    /// </summary>
    public TimeSpan ItemLifetime { get; init; } = TimeSpan.FromHours(2);

    /// <summary>
    /// Gets a value indicating whether BEP 42 is enforced: nodes whose id does not match their IP never enter the
    /// routing table, and in lookups they count as giving no token (not stored on, not ending the lookup). Their
    /// queries are still answered. Addresses BEP 42 exempts (private, loopback, link-local) always pass. Default false
    /// (as libtorrent's <c>enforce_node_id</c>).
    /// </summary>
    public bool EnforceNodeIdRestriction { get; init; }

    /// <summary>
    /// Gets a value indicating whether the node takes a BEP 42 id for its external address once responders agree on
    /// it (the <c>ip</c> key of responses), moving its routing table to the new id. Default false.
    /// </summary>
    public bool DeriveIdFromExternalAddress { get; init; }

    /// <summary>
    /// Gets how many distinct responders must report the same external address before the node trusts it for its id
    /// (BEP 42: "vote across responders before changing your ID"). Default 3.
    /// </summary>
    public int ExternalAddressMinVotes { get; init; } = 3;

    /// <summary>
    /// Gets how often the node runs <see cref="DhtNode.RunMaintenanceAsync"/> (pings questionable nodes, refreshes
    /// buckets unchanged for 15 minutes). Zero or infinite turns the background round off. Default 1 min.
    /// </summary>
    public TimeSpan MaintenanceInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Gets the most questionable nodes pinged in one maintenance round. Default 16.</summary>
    public int MaxMaintenancePings { get; init; } = 16;

    /// <summary>Gets the most buckets refreshed (one lookup each) in one maintenance round. Default 8.</summary>
    public int MaxBucketRefreshes { get; init; } = 8;

    /// <summary>Gets a value indicating whether the node sends queries with ro=1 (BEP 43). Default false.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>Gets the default options.</summary>
    public static DhtNodeOptions Default { get; } = new();
}
