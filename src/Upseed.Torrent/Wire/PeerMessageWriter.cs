using System.Buffers;
using System.Buffers.Binary;

namespace Upseed.Torrent.Wire;

/// <summary>
/// Writes peer wire messages in BEP 3 framing. Messages with a value the reader would refuse (a negative index) are
/// refused here too, so a bug on our side surfaces as an exception instead of a peer closing the connection.
/// </summary>
public static class PeerMessageWriter
{
    /// <summary>Writes one message, length prefix included.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> or <paramref name="message"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// A negative piece index, offset or length, or a message type this writer does not know.
    /// </exception>
    public static void Write(IBufferWriter<byte> writer, PeerMessage message)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(message);
        switch (message)
        {
            case KeepAliveMessage:
                var span = writer.GetSpan(PeerMessageIds.LengthPrefixSize);
                BinaryPrimitives.WriteUInt32BigEndian(span, 0);
                writer.Advance(PeerMessageIds.LengthPrefixSize);
                break;
            case ChokeMessage or UnchokeMessage or InterestedMessage or NotInterestedMessage or HaveAllMessage or HaveNoneMessage:
                WriteHeader(writer, message.MessageId!.Value, 0);
                break;
            case UnknownMessage unknown:
                WriteHeader(writer, unknown.Id, 0);
                break;
            case HaveMessage have:
                WriteIntegers(writer, PeerMessageIds.Have, have.PieceIndex);
                break;
            case SuggestPieceMessage suggest:
                WriteIntegers(writer, PeerMessageIds.SuggestPiece, suggest.PieceIndex);
                break;
            case AllowedFastMessage allowed:
                WriteIntegers(writer, PeerMessageIds.AllowedFast, allowed.PieceIndex);
                break;
            case RequestMessage request:
                WriteIntegers(writer, PeerMessageIds.Request, request.PieceIndex, request.Begin, request.Length);
                break;
            case CancelMessage cancel:
                WriteIntegers(writer, PeerMessageIds.Cancel, cancel.PieceIndex, cancel.Begin, cancel.Length);
                break;
            case RejectRequestMessage reject:
                WriteIntegers(writer, PeerMessageIds.RejectRequest, reject.PieceIndex, reject.Begin, reject.Length);
                break;
            case PortMessage port:
                WriteHeader(writer, PeerMessageIds.Port, sizeof(ushort));
                BinaryPrimitives.WriteUInt16BigEndian(writer.GetSpan(sizeof(ushort)), port.Port);
                writer.Advance(sizeof(ushort));
                break;
            case BitfieldMessage bitfield:
                WriteHeader(writer, PeerMessageIds.Bitfield, bitfield.Bits.Length);
                writer.Write(bitfield.Bits.Span);
                break;
            case PieceMessage piece:
                var header = writer.GetSpan(PeerMessageIds.PieceHeaderSize);
                WritePieceHeader(header, piece.PieceIndex, piece.Begin, piece.Block.Length);
                writer.Advance(PeerMessageIds.PieceHeaderSize);
                writer.Write(piece.Block.Span);
                break;
            case ExtendedMessage extended:
                WriteHeader(writer, PeerMessageIds.Extended, 1L + extended.Payload.Length);
                writer.GetSpan(1)[0] = extended.ExtendedId;
                writer.Advance(1);
                writer.Write(extended.Payload.Span);
                break;
            default:
                throw new ArgumentException($"No wire format for {message.GetType().Name}.", nameof(message));
        }
    }

    /// <summary>
    /// Writes the 13 bytes that precede a block in a piece message (length prefix, id 7, index, begin), so a seeding
    /// session can send the block from wherever it lives without building a <see cref="PieceMessage"/>.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// <paramref name="destination"/> is shorter than <see cref="PeerMessageIds.PieceHeaderSize"/>, or a value is
    /// negative, or the block is too long for a length prefix.
    /// </exception>
    public static void WritePieceHeader(Span<byte> destination, int pieceIndex, int begin, int blockLength)
    {
        if (destination.Length < PeerMessageIds.PieceHeaderSize)
        {
            throw new ArgumentException($"A piece header needs {PeerMessageIds.PieceHeaderSize} bytes.", nameof(destination));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(pieceIndex);
        ArgumentOutOfRangeException.ThrowIfNegative(begin);
        ArgumentOutOfRangeException.ThrowIfNegative(blockLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(blockLength, int.MaxValue - 9);
        BinaryPrimitives.WriteInt32BigEndian(destination, 9 + blockLength);
        destination[4] = PeerMessageIds.Piece;
        BinaryPrimitives.WriteInt32BigEndian(destination[5..], pieceIndex);
        BinaryPrimitives.WriteInt32BigEndian(destination[9..], begin);
    }

    private static void WriteHeader(IBufferWriter<byte> writer, byte id, long payloadLength)
    {
        if (payloadLength + 1 > int.MaxValue)
        {
            throw new ArgumentException("The payload is too long for a length prefix.", nameof(payloadLength));
        }

        var span = writer.GetSpan(PeerMessageIds.LengthPrefixSize + 1);
        BinaryPrimitives.WriteInt32BigEndian(span, (int)payloadLength + 1);
        span[PeerMessageIds.LengthPrefixSize] = id;
        writer.Advance(PeerMessageIds.LengthPrefixSize + 1);
    }

    private static void WriteIntegers(IBufferWriter<byte> writer, byte id, params ReadOnlySpan<int> values)
    {
        foreach (var value in values)
        {
            if (value < 0)
            {
                throw new ArgumentException("Piece indexes, offsets and lengths are never negative.", nameof(values));
            }
        }

        WriteHeader(writer, id, values.Length * sizeof(int));
        var span = writer.GetSpan(values.Length * sizeof(int));
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(span[(i * sizeof(int))..], values[i]);
        }

        writer.Advance(values.Length * sizeof(int));
    }
}
