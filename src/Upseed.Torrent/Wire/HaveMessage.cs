namespace Upseed.Torrent.Wire;

/// <summary>BEP 3 <c>have</c>: the sender has just completed and verified the piece.</summary>
/// <param name="PieceIndex">Zero-based piece index; the wire carries it as a 4-byte big-endian integer.</param>
public sealed record HaveMessage(int PieceIndex) : PeerMessage
{
    public override byte? MessageId => PeerMessageIds.Have;
}
