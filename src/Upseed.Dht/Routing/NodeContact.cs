using System.Net;

namespace Upseed.Dht.Routing;

/// <summary>A node id with its UDP address: one entry of BEP 5 "compact node info".</summary>
public readonly record struct NodeContact(NodeId Id, IPEndPoint EndPoint);
