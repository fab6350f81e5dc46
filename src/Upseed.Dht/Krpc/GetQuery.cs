namespace Upseed.Dht.Krpc;

/// <summary>BEP 44 <c>get</c>; <paramref name="Sequence"/> is the optional <c>seq</c> the requester already has.</summary>
public sealed record GetQuery(NodeId Id, NodeId Target, long? Sequence) : KrpcQuery(Id)
{
    public override QueryKind Kind => QueryKind.Get;
}
