namespace Upseed.Dht.Krpc;

/// <summary>BEP 5 <c>find_node</c>; <paramref name="Want"/> is BEP 32's <c>want</c> (<c>n4</c>, <c>n6</c>), empty when absent.</summary>
public sealed record FindNodeQuery(NodeId Id, NodeId Target, IReadOnlyList<string> Want) : KrpcQuery(Id)
{
    public override QueryKind Kind => QueryKind.FindNode;
}
