namespace Upseed.Torrent.Wire;

/// <summary>
/// BEP 3 <c>request</c>: asks for one block. Blocks are 16 KiB (BEP 3); clients close connections that ask for more,
/// and <see cref="PeerMessageReader"/> refuses lengths past <see cref="PeerWireOptions.MaxBlockLength"/>.
/// </summary>
/// <param name="PieceIndex">Zero-based piece index.</param>
/// <param name="Begin">Byte offset of the block within the piece.</param>
/// <param name="Length">Block length in bytes.</param>
public sealed record RequestMessage(int PieceIndex, int Begin, int Length) : PeerMessage
{
    public override byte? MessageId => PeerMessageIds.Request;
}
