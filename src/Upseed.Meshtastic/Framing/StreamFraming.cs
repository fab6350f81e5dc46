using System.Buffers;
using System.Buffers.Binary;

namespace Upseed.Meshtastic.Framing;

/// <summary>
/// The stream framing of Meshtastic's client API over serial and TCP [firmware src/mesh/StreamAPI.{h,cpp}]: every
/// protobuf (<c>ToRadio</c> towards the radio, <c>FromRadio</c> from it) is preceded by 0x94 0xC3 and its length as a
/// 16-bit big-endian number. Bytes outside frames are debug text and are skipped; a length over
/// <see cref="MaxPayloadLength"/> means the 0x94 0xC3 was not a frame start.
/// </summary>
public static class StreamFraming
{
    public const byte Start1 = 0x94;
    public const byte Start2 = 0xC3;
    public const int HeaderSize = 4;

    /// <summary>
    /// The largest payload a frame may carry: the firmware's <c>MAX_TO_FROM_RADIO_SIZE</c> (512), above which it treats
    /// the length as corrupt and resynchronises.
    /// </summary>
    public const int MaxPayloadLength = 512;

    /// <summary>The largest frame on the wire: header plus <see cref="MaxPayloadLength"/>.</summary>
    public const int MaxFrameSize = HeaderSize + MaxPayloadLength;

    /// <summary>Writes a frame header and payload.</summary>
    /// <returns>The bytes written, <see cref="HeaderSize"/> + the payload's length.</returns>
    /// <exception cref="ArgumentException">The payload is over <see cref="MaxPayloadLength"/>, or the destination is too small.</exception>
    public static int WriteFrame(ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        if (payload.Length > MaxPayloadLength)
        {
            throw new ArgumentException($"A stream frame carries at most {MaxPayloadLength} bytes; this payload has {payload.Length}.", nameof(payload));
        }

        if (destination.Length < HeaderSize + payload.Length)
        {
            throw new ArgumentException("The destination is too small for the frame.", nameof(destination));
        }

        WriteHeader(payload.Length, destination);
        payload.CopyTo(destination[HeaderSize..]);
        return HeaderSize + payload.Length;
    }

    /// <summary>Writes the 4-byte header for a payload of <paramref name="payloadLength"/> bytes.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The length is negative or over <see cref="MaxPayloadLength"/>.</exception>
    public static void WriteHeader(int payloadLength, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payloadLength, MaxPayloadLength);
        destination[0] = Start1;
        destination[1] = Start2;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)payloadLength);
    }

    /// <summary>
    /// Looks for one frame at the start of <paramref name="input"/>, without allocating.
    /// <list type="bullet">
    /// <item><see cref="OperationStatus.Done"/>: a frame; its payload is <c>input.Slice(payloadOffset, payloadLength)</c>
    /// and it ends at <paramref name="consumed"/>.</item>
    /// <item><see cref="OperationStatus.NeedMoreData"/>: the input starts with (part of) a frame that is not complete
    /// yet; <paramref name="consumed"/> is 0. Call again with more bytes appended.</item>
    /// <item><see cref="OperationStatus.InvalidData"/>: the first <paramref name="consumed"/> bytes are not a frame
    /// (<paramref name="error"/> says why); drop them and call again with the rest.</item>
    /// </list>
    /// </summary>
    /// <param name="input">Bytes read from the stream, oldest first.</param>
    /// <param name="consumed">How many bytes of <paramref name="input"/> this call used up.</param>
    /// <param name="payloadOffset">Where the frame's payload starts (with <see cref="OperationStatus.Done"/>).</param>
    /// <param name="payloadLength">The payload's length (with <see cref="OperationStatus.Done"/>).</param>
    /// <param name="error">Why the bytes were skipped (with <see cref="OperationStatus.InvalidData"/>).</param>
    /// <param name="maxPayloadLength">The length limit; at most <see cref="MaxPayloadLength"/>.</param>
    public static OperationStatus TryReadFrame(
        ReadOnlySpan<byte> input,
        out int consumed,
        out int payloadOffset,
        out int payloadLength,
        out StreamFrameError error,
        int maxPayloadLength = MaxPayloadLength)
    {
        payloadOffset = 0;
        payloadLength = 0;
        consumed = 0;
        error = StreamFrameError.None;
        if (input.IsEmpty)
        {
            return OperationStatus.NeedMoreData;
        }

        if (input[0] != Start1)
        {
            // A run of noise up to the next possible frame start, reported in one piece so the caller can log the
            // radio's debug text as lines rather than byte by byte.
            var next = input[1..].IndexOf(Start1);
            consumed = next < 0 ? input.Length : next + 1;
            error = StreamFrameError.Noise;
            return OperationStatus.InvalidData;
        }

        if (input.Length < 2)
        {
            return OperationStatus.NeedMoreData;
        }

        if (input[1] != Start2)
        {
            // 0x94 not followed by 0xC3: the 0x94 was noise (the next byte may itself start a frame).
            consumed = 1;
            error = StreamFrameError.Noise;
            return OperationStatus.InvalidData;
        }

        if (input.Length < HeaderSize)
        {
            return OperationStatus.NeedMoreData;
        }

        // The length is checked before anything waits for or allocates the body.
        var length = BinaryPrimitives.ReadUInt16BigEndian(input[2..]);
        if (length > Math.Min(maxPayloadLength, MaxPayloadLength))
        {
            consumed = 1;
            error = StreamFrameError.LengthTooLarge;
            return OperationStatus.InvalidData;
        }

        if (input.Length < HeaderSize + length)
        {
            return OperationStatus.NeedMoreData;
        }

        payloadOffset = HeaderSize;
        payloadLength = length;
        consumed = HeaderSize + length;
        return OperationStatus.Done;
    }
}
