using System.Diagnostics.CodeAnalysis;
using Upseed.Bencode;

namespace Upseed.Torrent.Extensions;

/// <summary>
/// A ut_metadata message (BEP 9), which carries the info dictionary in 16 KiB pieces so a bare magnet link can be
/// resolved from peers. On the wire: a bencoded dictionary (<c>msg_type</c>, <c>piece</c>, and <c>total_size</c> on
/// data), followed for <see cref="MetadataMessageType.Data"/> by the raw piece bytes inside the same extended message.
/// </summary>
/// <param name="Type">Request, data or reject.</param>
/// <param name="Piece">Zero-based metadata piece index.</param>
/// <param name="TotalSize">
/// <c>total_size</c>: the whole info dictionary's size in bytes, present on data messages (BEP 9 gives it the meaning
/// of <c>metadata_size</c>).
/// </param>
/// <param name="Data">The piece bytes on a data message, empty otherwise. Equality compares the bytes.</param>
public sealed record MetadataMessage(MetadataMessageType Type, int Piece, int? TotalSize, ReadOnlyMemory<byte> Data)
{
    /// <summary>BEP 9: metadata is served in 16 KiB pieces; every piece but the last is exactly this long.</summary>
    public const int PieceSize = 16384;

    /// <summary>
    /// The error <see cref="TryDecode"/> reports for a <c>msg_type</c> other than 0, 1 or 2. BEP 9 says such messages
    /// MUST be ignored (room for future types), so a session compares against this and carries on rather than
    /// treating it as a protocol violation.
    /// </summary>
    public const string UnknownMessageTypeError = "unknown msg_type";

    /// <summary>The extended message payload: the canonical dictionary, then the piece bytes for a data message.</summary>
    /// <exception cref="InvalidOperationException">
    /// An undefined type, a negative piece or size, data without <see cref="TotalSize"/> or over <see cref="PieceSize"/>,
    /// or bytes on a request or reject.
    /// </exception>
    public byte[] Encode()
    {
        Require(Enum.IsDefined(Type), "msg_type must be request, data or reject");
        Require(Piece >= 0, "piece must not be negative");
        Require(TotalSize is null or >= 0, "total_size must not be negative");
        if (Type == MetadataMessageType.Data)
        {
            Require(TotalSize is not null, "a data message carries total_size (BEP 9)");
            Require(Data.Length <= PieceSize, "a metadata piece is at most 16 KiB (BEP 9)");
        }
        else
        {
            Require(Data.IsEmpty, "only data messages carry bytes after the dictionary");
        }

        var dictionary = new BDictionary().Set("msg_type", (long)Type).Set("piece", Piece);
        if (TotalSize is { } totalSize)
        {
            dictionary.Set("total_size", totalSize);
        }

        var head = dictionary.Encode();
        var payload = new byte[head.Length + Data.Length];
        head.CopyTo(payload, 0);
        Data.Span.CopyTo(payload.AsSpan(head.Length));
        return payload;
    }

    /// <summary>
    /// Decodes an extended message payload. <see cref="Data"/> is a slice of <paramref name="payload"/>, not a copy.
    /// </summary>
    /// <returns>
    /// <see langword="false"/> with a reason when the dictionary is not bencode within the limits, <c>msg_type</c> or
    /// <c>piece</c> is missing or not a non-negative integer, <c>total_size</c> is present but out of range or missing
    /// on data, the piece bytes exceed 16 KiB, or bytes follow a request or reject. An unknown <c>msg_type</c> gives
    /// <see cref="UnknownMessageTypeError"/>, which BEP 9 says to ignore.
    /// </returns>
    public static bool TryDecode(
        ReadOnlyMemory<byte> payload,
        [NotNullWhen(true)] out MetadataMessage? message,
        [NotNullWhen(false)] out string? error)
    {
        message = null;
        if (!ExtensionBencode.TryDecodeDictionary(payload, wholePayload: false, out var dictionary, out var consumed, out error))
        {
            return false;
        }

        if (!dictionary.TryGetValue("msg_type"u8, out var typeValue) || typeValue is not BInteger type)
        {
            error = "msg_type missing or not an integer";
            return false;
        }

        if (type.Value is < 0 or > 2)
        {
            error = UnknownMessageTypeError;
            return false;
        }

        if (!ExtensionBencode.TryGetInt32(dictionary, "piece"u8, 0, int.MaxValue, out var piece))
        {
            error = "piece missing or not a non-negative 32-bit integer";
            return false;
        }

        int? totalSize = null;
        if (dictionary.TryGetValue("total_size"u8, out _))
        {
            if (!ExtensionBencode.TryGetInt32(dictionary, "total_size"u8, 0, int.MaxValue, out var size))
            {
                error = "total_size not a non-negative 32-bit integer";
                return false;
            }

            totalSize = size;
        }

        var messageType = (MetadataMessageType)type.Value;
        var data = payload[consumed..];
        if (messageType == MetadataMessageType.Data)
        {
            if (totalSize is null)
            {
                error = "data message without total_size";
                return false;
            }

            if (data.Length > PieceSize)
            {
                error = "metadata piece longer than 16 KiB";
                return false;
            }
        }
        else if (!data.IsEmpty)
        {
            error = "bytes after a request or reject message";
            return false;
        }

        message = new MetadataMessage(messageType, piece, totalSize, data);
        return true;
    }

    public bool Equals(MetadataMessage? other) =>
        other is not null && Type == other.Type && Piece == other.Piece && TotalSize == other.TotalSize && Data.Span.SequenceEqual(other.Data.Span);

    public override int GetHashCode() => HashCode.Combine(Type, Piece, TotalSize, Data.Length);

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }
}
