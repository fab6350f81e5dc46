namespace Upseed.Torrent.Wire;

/// <summary>
/// BEP 3 <c>cancel</c>: withdraws an earlier request (sent in endgame mode once a block arrived from elsewhere).
/// </summary>
/// <param name="PieceIndex">Zero-based piece index.</param>
/// <param name="Begin">Byte offset of the block within the piece.</param>
/// <param name="Length">Block length in bytes.</param>
public sealed record CancelMessage(int PieceIndex, int Begin, int Length) : PeerMessage
{
    public override byte? MessageId => PeerMessageIds.Cancel;
}
