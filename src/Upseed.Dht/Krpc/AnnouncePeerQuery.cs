namespace Upseed.Dht.Krpc;

/// <summary>BEP 5 <c>announce_peer</c>; <paramref name="Seed"/> is BEP 33's <c>seed</c>.</summary>
public sealed record AnnouncePeerQuery(
    NodeId Id, NodeId InfoHash, int Port, bool ImpliedPort, ReadOnlyMemory<byte> Token, bool Seed) : KrpcQuery(Id)
{
    public override QueryKind Kind => QueryKind.AnnouncePeer;
}
