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

    /// <summary>Mainline DHT (a later part). Defaults to on; accepted now, reported as not yet available.</summary>
    public bool Dht { get; init; } = true;

    /// <summary>Local service discovery (a later part). Defaults to on; accepted now, reported as not yet available.</summary>
    public bool Lsd { get; init; } = true;
}
