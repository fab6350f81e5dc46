namespace Upseed.Dht.Krpc;

/// <summary>BEP 5 <c>ping</c>.</summary>
public sealed record PingQuery(NodeId Id) : KrpcQuery(Id)
{
    public override QueryKind Kind => QueryKind.Ping;
}
