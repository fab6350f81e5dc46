namespace Upseed.Torrent.Wire;

/// <summary>BEP 6 <c>allowed fast</c>: the receiver may request this piece even while choked.</summary>
/// <param name="PieceIndex">Zero-based piece index.</param>
public sealed record AllowedFastMessage(int PieceIndex) : PeerMessage
{
    public override byte? MessageId => PeerMessageIds.AllowedFast;
}
