namespace Upseed.Torrent.Wire;

/// <summary>
/// BEP 6 <c>reject request</c>: the sender will not serve this request. With the Fast extension every request gets a
/// piece or a reject, so the requester can free the slot.
/// </summary>
/// <param name="PieceIndex">Zero-based piece index.</param>
/// <param name="Begin">Byte offset of the block within the piece.</param>
/// <param name="Length">Block length in bytes.</param>
public sealed record RejectRequestMessage(int PieceIndex, int Begin, int Length) : PeerMessage
{
    public override byte? MessageId => PeerMessageIds.RejectRequest;
}
