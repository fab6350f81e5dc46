using System.Net;

namespace Upseed.Dht.Krpc;

/// <summary>A node as carried in <c>nodes</c> (26 bytes: id + IPv4 + port) or <c>nodes6</c> (38 bytes, BEP 32).</summary>
public readonly record struct CompactNode(NodeId Id, IPEndPoint EndPoint);
