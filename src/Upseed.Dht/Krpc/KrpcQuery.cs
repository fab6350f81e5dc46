namespace Upseed.Dht.Krpc;

/// <summary>A typed KRPC query; every query carries the sender's id in <c>a.id</c> (BEP 5).</summary>
public abstract record KrpcQuery(NodeId Id)
{
    public abstract QueryKind Kind { get; }
}
