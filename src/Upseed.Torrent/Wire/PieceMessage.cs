namespace Upseed.Torrent.Wire;

/// <summary>
/// BEP 3 <c>piece</c>: one block of data, the answer to a <see cref="RequestMessage"/>. A seeding session may skip this
/// type and send the block straight from its buffer after <see cref="PeerMessageWriter.WritePieceHeader"/>.
/// </summary>
/// <param name="PieceIndex">Zero-based piece index.</param>
/// <param name="Begin">Byte offset of the block within the piece.</param>
/// <param name="Block">The block bytes. Equality compares the bytes, not the buffer.</param>
public sealed record PieceMessage(int PieceIndex, int Begin, ReadOnlyMemory<byte> Block) : PeerMessage
{
    public override byte? MessageId => PeerMessageIds.Piece;

    public bool Equals(PieceMessage? other) =>
        other is not null && PieceIndex == other.PieceIndex && Begin == other.Begin && Block.Span.SequenceEqual(other.Block.Span);

    public override int GetHashCode() => HashCode.Combine(PieceIndex, Begin, ByteContent.GetHashCode(Block.Span));
}
