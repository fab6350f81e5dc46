using Google.Protobuf;
using Upseed.Meshtastic.Framing;
using Upseed.Meshtastic.Protobufs;

namespace Upseed.Meshtastic;

/// <summary>Protobuf messages in and out of stream frames. Decoding never throws: a bad payload is an error value.</summary>
public static class MeshtasticCodec
{
    /// <summary>Writes <paramref name="message"/> as one stream frame into <paramref name="destination"/>.</summary>
    /// <returns>The frame's length.</returns>
    /// <exception cref="ArgumentException">The message encodes to more than <see cref="StreamFraming.MaxPayloadLength"/> bytes, or the destination is too small.</exception>
    public static int WriteFrame(IMessage message, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(message);
        var size = message.CalculateSize();
        if (size > StreamFraming.MaxPayloadLength)
        {
            throw new ArgumentException($"The message encodes to {size} bytes; a stream frame carries at most {StreamFraming.MaxPayloadLength}.", nameof(message));
        }

        if (destination.Length < StreamFraming.HeaderSize + size)
        {
            throw new ArgumentException("The destination is too small for the frame.", nameof(destination));
        }

        StreamFraming.WriteHeader(size, destination);
        message.WriteTo(destination.Slice(StreamFraming.HeaderSize, size));
        return StreamFraming.HeaderSize + size;
    }

    /// <summary>The message as one frame in a new array.</summary>
    /// <exception cref="ArgumentException">The message encodes to more than <see cref="StreamFraming.MaxPayloadLength"/> bytes.</exception>
    public static byte[] ToFrame(IMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var frame = new byte[StreamFraming.HeaderSize + message.CalculateSize()];
        WriteFrame(message, frame);
        return frame;
    }

    public static bool TryDecodeFromRadio(ReadOnlySpan<byte> payload, out FromRadio? message) => TryDecode(FromRadio.Parser, payload, out message);

    public static bool TryDecodeToRadio(ReadOnlySpan<byte> payload, out ToRadio? message) => TryDecode(ToRadio.Parser, payload, out message);

    private static bool TryDecode<T>(MessageParser<T> parser, ReadOnlySpan<byte> payload, out T? message)
        where T : class, IMessage<T>
    {
        if (payload.Length > StreamFraming.MaxPayloadLength)
        {
            message = null;
            return false;
        }

        try
        {
            message = parser.ParseFrom(payload);
            return true;
        }
        catch (InvalidProtocolBufferException)
        {
            // Radio bytes are untrusted and a serial line corrupts frames now and then; the caller counts it.
            message = null;
            return false;
        }
    }
}
