namespace Upseed.Torrent.Wire;

/// <summary>
/// BEP 3 <c>bitfield</c>: which pieces the sender has, sent only as the first message after the handshake. The high
/// bit of the first byte is piece 0; spare bits at the end must be zero (the session checks that, since only it knows
/// the piece count).
/// </summary>
/// <param name="Bits">The bitfield bytes. Equality compares the bytes, not the buffer.</param>
public sealed record BitfieldMessage(ReadOnlyMemory<byte> Bits) : PeerMessage
{
    public override byte? MessageId => PeerMessageIds.Bitfield;

    public bool Equals(BitfieldMessage? other) =>
        other is not null && Bits.Span.SequenceEqual(other.Bits.Span);

    public override int GetHashCode() => ByteContent.GetHashCode(Bits.Span);
}
