namespace Upseed.Dht.Krpc;

/// <summary>BEP 5 <c>get_peers</c>, with BEP 32 <c>want</c> and BEP 33 <c>noseed</c>/<c>scrape</c>.</summary>
public sealed record GetPeersQuery(NodeId Id, NodeId InfoHash, IReadOnlyList<string> Want, bool NoSeed, bool Scrape)
    : KrpcQuery(Id)
{
    public override QueryKind Kind => QueryKind.GetPeers;
}
