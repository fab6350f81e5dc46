using Upseed.Dht.Krpc;

namespace Upseed.Dht.Node;

/// <summary>The outcome of a BEP 44 put: a get lookup to collect tokens, then put to the closest nodes that gave one.</summary>
/// <param name="Target">The item's target: SHA-1(v) for an immutable item, SHA-1(k ‖ salt) for a mutable one.</param>
/// <param name="Sequence">The seq that was put (mutable items); -1 for an immutable item.</param>
/// <param name="Stored">How many nodes accepted the put.</param>
/// <param name="Asked">How many nodes the put was sent to (the closest that gave a token, at most K).</param>
/// <param name="Errors">The KRPC errors returned by nodes that refused (e.g. 301 cas mismatch, 302 seq too low).</param>
/// <param name="Lookup">The get lookup that preceded the put.</param>
public sealed record DhtPutResult(
    NodeId Target, long Sequence, int Stored, int Asked, IReadOnlyList<KrpcError> Errors, DhtLookupResult Lookup);
