using System.Net;

namespace Upseed.Dht.Krpc;

/// <summary>
/// A KRPC response body <c>r</c>. Which fields matter depends on the query it answers (BEP 5 responses do not name
/// their method), so one record carries them all: <c>nodes</c>/<c>nodes6</c> (BEP 5/32), <c>values</c> and
/// <c>token</c> (BEP 5), <c>BFsd</c>/<c>BFpe</c> (BEP 33), and <c>v</c>/<c>k</c>/<c>seq</c>/<c>sig</c> (BEP 44).
/// Empty memory and empty lists mean "absent".
/// </summary>
public sealed record KrpcResponse(NodeId Id)
{
    public IReadOnlyList<CompactNode> Nodes { get; init; } = [];

    public IReadOnlyList<CompactNode> Nodes6 { get; init; } = [];

    public IReadOnlyList<IPEndPoint> Values { get; init; } = [];

    public ReadOnlyMemory<byte> Token { get; init; }

    /// <summary>BEP 33 seeds filter (256 bytes) when present.</summary>
    public ReadOnlyMemory<byte> SeedsFilter { get; init; }

    /// <summary>BEP 33 peers filter (256 bytes) when present.</summary>
    public ReadOnlyMemory<byte> PeersFilter { get; init; }

    /// <summary>BEP 44 <c>v</c>, the bencoded value as received.</summary>
    public ReadOnlyMemory<byte> Value { get; init; }

    public ReadOnlyMemory<byte> PublicKey { get; init; }

    public long? Sequence { get; init; }

    public ReadOnlyMemory<byte> Signature { get; init; }
}
