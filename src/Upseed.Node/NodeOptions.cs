using System.Net;

namespace Upseed.Node;

/// <summary>How <c>upseed node</c> runs. Every default is written down.</summary>
public sealed record NodeOptions
{
    /// <summary>The data folder (store and keys). Required.</summary>
    public required string DataFolder { get; init; }

    /// <summary>Where peers connect (TCP). Defaults to 0.0.0.0:6881, the customary BitTorrent port.</summary>
    public IPEndPoint Listen { get; init; } = new(IPAddress.Any, 6881);

    /// <summary>Where the web board and <c>/healthz</c> listen. Defaults to 127.0.0.1:8080 (not the network, until an admin says so).</summary>
    public IPEndPoint Web { get; init; } = new(IPAddress.Loopback, 8080);

    /// <summary>Peers to ask for posts this node lacks. Defaults to none.</summary>
    public IReadOnlyList<IPEndPoint> Peers { get; init; } = [];

    /// <summary>Most posts (own and upvoted, newest pins first) announced to each configured tracker. Defaults to 200.</summary>
    public int TrackerAnnounceLimit { get; init; } = 200;

    /// <summary>How often the announcer looks for announces that are due. Defaults to 1 minute.</summary>
    public TimeSpan TrackerPollInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The public DHT routers, used only when no bootstrap node is given.</summary>
    public static readonly IReadOnlyList<string> DefaultDhtBootstrap =
    [
        "router.bittorrent.com:6881",
        "router.utorrent.com:6881",
        "dht.transmissionbt.com:6881",
        "dht.libtorrent.org:25401",
    ];

    /// <summary>The Mainline DHT (BEP 5, 44): announce and look up swarms, store items for others. Defaults to on.</summary>
    public bool Dht { get; init; } = true;

    /// <summary>The DHT's UDP port, on the peer listener's address. Defaults to null: the peer listener's port.</summary>
    public int? DhtPort { get; init; }

    /// <summary>
    /// DHT nodes to join through, HOST:PORT. Null (the default) means <see cref="DefaultDhtBootstrap"/>; an empty list
    /// means none: an isolated node that others bootstrap from.
    /// </summary>
    public IReadOnlyList<string>? DhtBootstrap { get; init; }

    /// <summary>Local service discovery (BEP 14) on IPv4 and IPv6 multicast. Defaults to on.</summary>
    public bool Lsd { get; init; } = true;

    /// <summary>The LSD group port: 6771 (BEP 14) unless a test isolates itself on another.</summary>
    public int LsdPort { get; init; } = 6771;

    /// <summary>Time between LSD announce rounds. BEP 14: every 5 minutes; defaults to that (tests shorten it).</summary>
    public TimeSpan LsdAnnounceInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Communities this node carries by configuration (<c>--community</c>), announced besides those of its pins.</summary>
    public IReadOnlyList<string> Communities { get; init; } = [];

    /// <summary>How often the swarm keys are re-read from the store and the settings. Defaults to 1 minute.</summary>
    public TimeSpan DiscoveryRefreshInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How often discovery looks for announces that are due. Defaults to 1 second.</summary>
    public TimeSpan DiscoveryTick { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long after an announce a key is announced again (BEP 5 storers keep peers about 30 minutes). Defaults to 20 minutes.</summary>
    public TimeSpan DhtReannounceInterval { get; init; } = TimeSpan.FromMinutes(20);

    /// <summary>How long after an announce or put that no node took it is tried again. Defaults to 1 minute.</summary>
    public TimeSpan DhtRetryAfterFailure { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the node re-puts its DHT items (feed heads) when they have not changed (BEP 44: hourly). Defaults to 1 hour.</summary>
    public TimeSpan DhtRepublishInterval { get; init; } = TimeSpan.FromHours(1);
}
