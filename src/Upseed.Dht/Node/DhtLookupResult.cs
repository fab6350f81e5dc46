using System.Net;
using Upseed.Dht.Krpc;

namespace Upseed.Dht.Node;

/// <summary>A node that answered a lookup, with the write token it handed out (get_peers) for a later announce.</summary>
/// <param name="Node">The node.</param>
/// <param name="Token">Its token; empty for find_node lookups.</param>
public readonly record struct DhtTokenNode(CompactNode Node, ReadOnlyMemory<byte> Token);

/// <summary>The outcome of an iterative lookup.</summary>
/// <param name="Target">The target id or info-hash.</param>
/// <param name="Peers">Distinct peers returned in <c>values</c>.</param>
/// <param name="Closest">Up to K closest nodes that answered, closest first, with their tokens.</param>
/// <param name="Hops">The longest referral chain to a closest responder (or to the first peer source).</param>
/// <param name="MessagesSent">Requests sent by this lookup.</param>
public sealed record DhtLookupResult(
    NodeId Target, IReadOnlyList<IPEndPoint> Peers, IReadOnlyList<DhtTokenNode> Closest, int Hops, int MessagesSent);
