namespace Upseed.Torrent.Wire;

/// <summary>
/// A message whose id this codec does not know (an extension the peer assumed without negotiating, or a newer BEP).
/// <see cref="PeerMessageReader"/> returns it, payload dropped, when <see cref="PeerWireOptions.IgnoreUnknownMessages"/>
/// is on, so the session can count it and carry on; the bytes were still bounded by
/// <see cref="PeerWireOptions.MaxMessageLength"/>.
/// </summary>
/// <param name="Id">The id byte as received.</param>
public sealed record UnknownMessage(byte Id) : PeerMessage
{
    public override byte? MessageId => Id;
}
