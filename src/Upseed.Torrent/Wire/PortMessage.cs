namespace Upseed.Torrent.Wire;

/// <summary>BEP 5 <c>port</c>: the UDP port of the sender's DHT node, sent by peers that set the DHT reserved bit.</summary>
/// <param name="Port">The UDP port; the wire carries it as a 2-byte big-endian integer.</param>
public sealed record PortMessage(ushort Port) : PeerMessage
{
    public override byte? MessageId => PeerMessageIds.Port;
}
