using System.Net;

namespace Upseed.Dht.Routing;

/// <summary>A remote DHT node as the routing table knows it (BEP 5). Mutated only by its <see cref="RoutingTable"/>.</summary>
public sealed class DhtNode
{
    internal DhtNode(NodeId id, IPEndPoint endPoint, DateTimeOffset firstSeen)
    {
        Id = id;
        EndPoint = endPoint;
        LastSeen = firstSeen;
    }

    public NodeId Id { get; }

    public IPEndPoint EndPoint { get; }

    /// <summary>When the node last answered one of our queries; null when it never has.</summary>
    public DateTimeOffset? LastResponse { get; internal set; }

    /// <summary>When the node last sent us a query; null when it never has.</summary>
    public DateTimeOffset? LastQuery { get; internal set; }

    /// <summary>When we last heard anything from it (or when it was added). Orders questionable nodes for pinging.</summary>
    public DateTimeOffset LastSeen { get; internal set; }

    /// <summary>Our queries it failed to answer since its last response.</summary>
    public int ConsecutiveFailures { get; internal set; }

    /// <summary>The node's state at <paramref name="now"/> under BEP 5's rules and the given limits.</summary>
    public NodeState GetState(DateTimeOffset now, RoutingTableOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (ConsecutiveFailures >= options.MaxConsecutiveFailures)
        {
            return NodeState.Bad;
        }

        if (LastResponse is { } response)
        {
            // BEP 5: good if it responded within the window, or has ever responded and queried us within it.
            if (now - response < options.GoodNodeWindow
                || (LastQuery is { } query && now - query < options.GoodNodeWindow))
            {
                return NodeState.Good;
            }
        }

        return NodeState.Questionable;
    }

    public override string ToString() => $"{Id}@{EndPoint}";
}
