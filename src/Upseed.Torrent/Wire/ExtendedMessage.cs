namespace Upseed.Torrent.Wire;

/// <summary>
/// BEP 10 <c>extended</c> (id 20): an extension message. <see cref="ExtendedId"/> 0 is the extension handshake; any
/// other id is one the receiver chose in its own handshake's <c>m</c> dictionary, so it means something different on
/// each connection. The payload is decoded by the types in <c>Upseed.Torrent.Extensions</c>.
/// </summary>
/// <param name="ExtendedId">The extended message id: 0 = handshake, otherwise from the receiver's <c>m</c>.</param>
/// <param name="Payload">The bytes after the extended id. Equality compares the bytes, not the buffer.</param>
public sealed record ExtendedMessage(byte ExtendedId, ReadOnlyMemory<byte> Payload) : PeerMessage
{
    /// <summary>The extended id of the BEP 10 handshake.</summary>
    public const byte HandshakeId = 0;

    public override byte? MessageId => PeerMessageIds.Extended;

    public bool Equals(ExtendedMessage? other) =>
        other is not null && ExtendedId == other.ExtendedId && Payload.Span.SequenceEqual(other.Payload.Span);

    public override int GetHashCode() => HashCode.Combine(ExtendedId, ByteContent.GetHashCode(Payload.Span));
}
