using System.Buffers;
using System.Buffers.Binary;

namespace Upseed.Torrent.Wire;

/// <summary>
/// Reads peer wire messages (BEP 3 framing: a 4-byte big-endian length, then the id byte and payload) from the front
/// of a buffer that may hold part of a message, one message, or several. The length prefix is checked against
/// <see cref="PeerWireOptions.MaxMessageLength"/>, and the id against the lengths it allows, before the body is awaited
/// or allocated, so a peer cannot make a connection hold more than the limit. Payloads are copied into new arrays of
/// exactly their size, so a message outlives the buffer it came from.
/// </summary>
public static class PeerMessageReader
{
    /// <summary>Tries to take one message off the front of <paramref name="buffer"/>.</summary>
    /// <param name="buffer">
    /// The bytes received so far. On <see cref="OperationStatus.Done"/> it is advanced past the message; otherwise it is
    /// left as it was.
    /// </param>
    /// <param name="options">The limits to enforce.</param>
    /// <param name="message">The message on <see cref="OperationStatus.Done"/>; otherwise <see langword="null"/>.</param>
    /// <param name="error">
    /// Why the message was refused on <see cref="OperationStatus.InvalidData"/>; otherwise <see cref="PeerWireError.None"/>.
    /// </param>
    /// <returns>
    /// <see cref="OperationStatus.Done"/>, <see cref="OperationStatus.NeedMoreData"/> when the buffer ends inside a
    /// message that is valid so far, or <see cref="OperationStatus.InvalidData"/> as soon as the bytes present break a
    /// rule (the connection cannot be resynchronised after that, so the session closes it).
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public static OperationStatus TryRead(
        ref ReadOnlySequence<byte> buffer,
        PeerWireOptions options,
        out PeerMessage? message,
        out PeerWireError error)
    {
        ArgumentNullException.ThrowIfNull(options);
        message = null;
        error = PeerWireError.None;
        if (buffer.Length < PeerMessageIds.LengthPrefixSize)
        {
            return OperationStatus.NeedMoreData;
        }

        // Compared as unsigned, so a prefix of 2^31 or more is refused like any other over the limit.
        var length = ReadUInt32(buffer);
        if (length > (uint)Math.Max(0, options.MaxMessageLength))
        {
            error = PeerWireError.MessageTooLong;
            return OperationStatus.InvalidData;
        }

        if (length == 0)
        {
            message = KeepAliveMessage.Instance;
            buffer = buffer.Slice(PeerMessageIds.LengthPrefixSize);
            return OperationStatus.Done;
        }

        if (buffer.Length == PeerMessageIds.LengthPrefixSize)
        {
            return OperationStatus.NeedMoreData;
        }

        var id = ReadByte(buffer, PeerMessageIds.LengthPrefixSize);
        var payloadLength = (int)length - 1;
        error = CheckPayloadLength(id, payloadLength, options);
        if (error != PeerWireError.None)
        {
            return OperationStatus.InvalidData;
        }

        if (buffer.Length - PeerMessageIds.LengthPrefixSize < length)
        {
            return OperationStatus.NeedMoreData;
        }

        var payload = buffer.Slice(PeerMessageIds.LengthPrefixSize + 1, payloadLength);
        message = Parse(id, payload, options, out error);
        if (message is null)
        {
            return OperationStatus.InvalidData;
        }

        buffer = buffer.Slice(PeerMessageIds.LengthPrefixSize + length);
        return OperationStatus.Done;
    }

    /// <summary>A sentence a person can read for each error, for the session's log line.</summary>
    public static string Describe(PeerWireError error) => error switch
    {
        PeerWireError.None => "no error",
        PeerWireError.MessageTooLong => "message length prefix over the limit",
        PeerWireError.UnknownMessageId => "unknown message id",
        PeerWireError.WrongPayloadLength => "payload length does not fit the message id",
        PeerWireError.BlockTooLong => "block length over the limit (BEP 3: 16 KiB blocks)",
        PeerWireError.NegativeValue => "piece index, offset or length of 2^31 or more",
        _ => "malformed peer message",
    };

    // Everything the id and the length alone decide, checked while only 5 bytes have arrived.
    private static PeerWireError CheckPayloadLength(byte id, int payloadLength, PeerWireOptions options)
    {
        if (!IsKnown(id))
        {
            return options.IgnoreUnknownMessages ? PeerWireError.None : PeerWireError.UnknownMessageId;
        }

        var fits = id switch
        {
            PeerMessageIds.Have or PeerMessageIds.SuggestPiece or PeerMessageIds.AllowedFast => payloadLength == 4,
            PeerMessageIds.Request or PeerMessageIds.Cancel or PeerMessageIds.RejectRequest => payloadLength == 12,
            PeerMessageIds.Port => payloadLength == 2,
            PeerMessageIds.Piece => payloadLength >= 8,
            PeerMessageIds.Extended => payloadLength >= 1,
            PeerMessageIds.Bitfield => true,
            _ => payloadLength == 0, // choke, unchoke, interested, not interested, have all, have none
        };

        if (!fits)
        {
            return PeerWireError.WrongPayloadLength;
        }

        // BEP 3 blocks are 16 KiB; a longer piece is refused before its body is awaited.
        return id == PeerMessageIds.Piece && payloadLength - 8 > options.MaxBlockLength
            ? PeerWireError.BlockTooLong
            : PeerWireError.None;
    }

    private static bool IsKnown(byte id) =>
        id <= PeerMessageIds.Port
        || id is >= PeerMessageIds.SuggestPiece and <= PeerMessageIds.AllowedFast
        || id == PeerMessageIds.Extended;

    private static PeerMessage? Parse(byte id, ReadOnlySequence<byte> payload, PeerWireOptions options, out PeerWireError error)
    {
        error = PeerWireError.None;
        Span<byte> fixedPart = stackalloc byte[12];
        switch (id)
        {
            case PeerMessageIds.Choke:
                return ChokeMessage.Instance;
            case PeerMessageIds.Unchoke:
                return UnchokeMessage.Instance;
            case PeerMessageIds.Interested:
                return InterestedMessage.Instance;
            case PeerMessageIds.NotInterested:
                return NotInterestedMessage.Instance;
            case PeerMessageIds.HaveAll:
                return HaveAllMessage.Instance;
            case PeerMessageIds.HaveNone:
                return HaveNoneMessage.Instance;
            case PeerMessageIds.Have or PeerMessageIds.SuggestPiece or PeerMessageIds.AllowedFast:
                payload.CopyTo(fixedPart);
                var index = BinaryPrimitives.ReadInt32BigEndian(fixedPart);
                if (index < 0)
                {
                    error = PeerWireError.NegativeValue;
                    return null;
                }

                return id switch
                {
                    PeerMessageIds.Have => new HaveMessage(index),
                    PeerMessageIds.SuggestPiece => new SuggestPieceMessage(index),
                    _ => new AllowedFastMessage(index),
                };
            case PeerMessageIds.Request or PeerMessageIds.Cancel or PeerMessageIds.RejectRequest:
                payload.CopyTo(fixedPart);
                var piece = BinaryPrimitives.ReadInt32BigEndian(fixedPart);
                var begin = BinaryPrimitives.ReadInt32BigEndian(fixedPart[4..]);
                var length = BinaryPrimitives.ReadInt32BigEndian(fixedPart[8..]);
                if ((piece | begin | length) < 0)
                {
                    error = PeerWireError.NegativeValue;
                    return null;
                }

                if (length > options.MaxBlockLength)
                {
                    error = PeerWireError.BlockTooLong;
                    return null;
                }

                return id switch
                {
                    PeerMessageIds.Request => new RequestMessage(piece, begin, length),
                    PeerMessageIds.Cancel => new CancelMessage(piece, begin, length),
                    _ => new RejectRequestMessage(piece, begin, length),
                };
            case PeerMessageIds.Piece:
                payload.Slice(0, 8).CopyTo(fixedPart);
                var blockPiece = BinaryPrimitives.ReadInt32BigEndian(fixedPart);
                var blockBegin = BinaryPrimitives.ReadInt32BigEndian(fixedPart[4..]);
                if ((blockPiece | blockBegin) < 0)
                {
                    error = PeerWireError.NegativeValue;
                    return null;
                }

                return new PieceMessage(blockPiece, blockBegin, payload.Slice(8).ToArray());
            case PeerMessageIds.Port:
                payload.CopyTo(fixedPart);
                return new PortMessage(BinaryPrimitives.ReadUInt16BigEndian(fixedPart));
            case PeerMessageIds.Bitfield:
                return new BitfieldMessage(payload.ToArray());
            case PeerMessageIds.Extended:
                return new ExtendedMessage(ReadByte(payload, 0), payload.Slice(1).ToArray());
            default:
                // Only reached with IgnoreUnknownMessages on (CheckPayloadLength refused it otherwise).
                return new UnknownMessage(id);
        }
    }

    private static uint ReadUInt32(in ReadOnlySequence<byte> buffer)
    {
        var first = buffer.FirstSpan;
        if (first.Length >= sizeof(uint))
        {
            return BinaryPrimitives.ReadUInt32BigEndian(first);
        }

        Span<byte> bytes = stackalloc byte[sizeof(uint)];
        buffer.Slice(0, sizeof(uint)).CopyTo(bytes);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    private static byte ReadByte(in ReadOnlySequence<byte> buffer, int offset)
    {
        var first = buffer.FirstSpan;
        return first.Length > offset ? first[offset] : buffer.Slice(offset, 1).FirstSpan[0];
    }
}
