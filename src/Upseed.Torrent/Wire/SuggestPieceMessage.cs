namespace Upseed.Torrent.Wire;

/// <summary>BEP 6 <c>suggest piece</c>: a hint that downloading this piece is cheap for the sender to serve.</summary>
/// <param name="PieceIndex">Zero-based piece index.</param>
public sealed record SuggestPieceMessage(int PieceIndex) : PeerMessage
{
    public override byte? MessageId => PeerMessageIds.SuggestPiece;
}
