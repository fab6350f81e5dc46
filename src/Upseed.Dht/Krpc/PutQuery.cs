namespace Upseed.Dht.Krpc;

/// <summary>
/// BEP 44 <c>put</c>. Immutable when <see cref="PublicKey"/> is empty; otherwise mutable with <c>k</c>, <c>salt</c>,
/// <c>seq</c>, <c>sig</c> and optional <c>cas</c>. <see cref="Value"/> holds the bencoded <c>v</c> exactly as received,
/// the bytes the signature covers. The codec checks shapes and sizes; the storer verifies the signature.
/// </summary>
public sealed record PutQuery(
    NodeId Id,
    ReadOnlyMemory<byte> Token,
    ReadOnlyMemory<byte> Value,
    ReadOnlyMemory<byte> PublicKey,
    ReadOnlyMemory<byte> Salt,
    long Sequence,
    ReadOnlyMemory<byte> Signature,
    long? Cas) : KrpcQuery(Id)
{
    public override QueryKind Kind => QueryKind.Put;

    public bool IsMutable => !PublicKey.IsEmpty;
}
