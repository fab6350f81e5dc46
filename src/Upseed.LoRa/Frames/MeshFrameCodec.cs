using System.Buffers.Binary;

namespace Upseed.LoRa.Frames;

/// <summary>
/// Frames in radio payloads, with the fewest header bytes that still allow loss-tolerant reassembly:
/// <code>
/// byte 0        high nibble: frame type; low nibble: hop budget (record fragments) or 0
/// fragment      byte 0 | message id (4 B, big-endian) | index (high nibble), count - 1 (low nibble) | bytes
/// have          byte 0 | message ids (4 B each)
/// want          byte 0 | (message id (4 B), missing-fragment mask (2 B, big-endian))*
/// </code>
/// A message is cut into at most <see cref="MaxFragments"/> fragments of near-equal size (the sizes depend only on
/// the message length and the count), so fragments of one record sent by two boxes are interchangeable.
/// </summary>
public static class MeshFrameCodec
{
    /// <summary>Header of a record fragment: type/hops, message id, index/count.</summary>
    public const int FragmentHeaderSize = 6;

    /// <summary>A 4-bit index: a record over 16 frames (about 3.5 KB compact) does not go on air.</summary>
    public const int MaxFragments = 16;

    /// <summary>The hop budget is a nibble.</summary>
    public const int MaxHops = 15;

    /// <summary>
    /// Meshtastic's largest <c>Data.payload</c> (DATA_PAYLOAD_LEN = 233, PROTOCOLS.md §5); nothing longer can be a
    /// frame of ours.
    /// </summary>
    public const int MaxPayloadSize = 233;

    public const int WantEntrySize = 6;

    /// <summary>The message id of a record: the first four bytes of its id, big-endian.</summary>
    public static uint MessageIdOf(Upseed.Metainfo.InfoHash id)
    {
        Span<byte> bytes = stackalloc byte[Upseed.Metainfo.InfoHash.Size];
        id.CopyTo(bytes);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    /// <summary>How many fragments a message of this length needs with this payload size; 0 when it cannot fit.</summary>
    public static int FragmentCount(int messageLength, int maxPayload)
    {
        var room = Math.Min(maxPayload, MaxPayloadSize) - FragmentHeaderSize;
        if (room <= 0 || messageLength <= 0)
        {
            return 0;
        }

        var count = (messageLength + room - 1) / room;
        return count <= MaxFragments ? count : 0;
    }

    /// <summary>Where fragment <paramref name="index"/> of <paramref name="count"/> lies in a message.</summary>
    public static (int Offset, int Length) FragmentRange(int messageLength, int count, int index)
    {
        var size = messageLength / count;
        var larger = messageLength % count;
        var offset = (index * size) + Math.Min(index, larger);
        return (offset, size + (index < larger ? 1 : 0));
    }

    /// <summary>Cuts a message into frames. False when it needs more than <see cref="MaxFragments"/>.</summary>
    public static bool TryFragment(ReadOnlySpan<byte> message, uint messageId, int hops, int maxPayload, out byte[][] frames)
    {
        var count = FragmentCount(message.Length, maxPayload);
        frames = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            frames[i] = EncodeFragment(message, messageId, hops, i, count);
        }

        return count > 0;
    }

    /// <summary>One fragment of a message, for a repair that resends only what a neighbour misses.</summary>
    public static byte[] EncodeFragment(ReadOnlySpan<byte> message, uint messageId, int hops, int index, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(hops);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hops, MaxHops);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, MaxFragments);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        var (offset, length) = FragmentRange(message.Length, count, index);
        var frame = new byte[FragmentHeaderSize + length];
        frame[0] = (byte)(((int)MeshFrameType.RecordFragment << 4) | hops);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), messageId);
        frame[5] = (byte)((index << 4) | (count - 1));
        message.Slice(offset, length).CopyTo(frame.AsSpan(FragmentHeaderSize));
        return frame;
    }

    /// <summary>A have digest; <paramref name="messageIds"/> beyond what fits one payload are left out.</summary>
    public static byte[] EncodeHave(ReadOnlySpan<uint> messageIds, int maxPayload)
    {
        var fits = Math.Min(messageIds.Length, (Math.Min(maxPayload, MaxPayloadSize) - 1) / 4);
        var frame = new byte[1 + (fits * 4)];
        frame[0] = (int)MeshFrameType.Have << 4;
        for (var i = 0; i < fits; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1 + (i * 4)), messageIds[i]);
        }

        return frame;
    }

    /// <summary>A want request; entries beyond what fits one payload are left out.</summary>
    public static byte[] EncodeWant(ReadOnlySpan<WantEntry> entries, int maxPayload)
    {
        var fits = Math.Min(entries.Length, (Math.Min(maxPayload, MaxPayloadSize) - 1) / WantEntrySize);
        var frame = new byte[1 + (fits * WantEntrySize)];
        frame[0] = (int)MeshFrameType.Want << 4;
        for (var i = 0; i < fits; i++)
        {
            var at = frame.AsSpan(1 + (i * WantEntrySize));
            BinaryPrimitives.WriteUInt32BigEndian(at, entries[i].MessageId);
            BinaryPrimitives.WriteUInt16BigEndian(at[4..], entries[i].MissingFragments);
        }

        return frame;
    }

    /// <summary>Reads one payload. Never throws: noise yields an error.</summary>
    public static MeshFrameError TryRead(ReadOnlyMemory<byte> payload, out MeshFrame frame)
    {
        frame = default;
        var span = payload.Span;
        if (span.IsEmpty)
        {
            return MeshFrameError.TooShort;
        }

        if (span.Length > MaxPayloadSize)
        {
            return MeshFrameError.TooLong;
        }

        var type = (MeshFrameType)(span[0] >> 4);
        var low = span[0] & 0x0F;
        switch (type)
        {
            case MeshFrameType.RecordFragment:
                if (span.Length <= FragmentHeaderSize)
                {
                    return MeshFrameError.TooShort;
                }

                var index = span[5] >> 4;
                var count = (span[5] & 0x0F) + 1;
                if (index >= count)
                {
                    return MeshFrameError.Malformed;
                }

                frame = new MeshFrame(type, low, BinaryPrimitives.ReadUInt32BigEndian(span[1..]), index, count, payload[FragmentHeaderSize..]);
                return MeshFrameError.None;
            case MeshFrameType.Have or MeshFrameType.Want:
                // A have frame may list nothing: it still tells neighbours this box is in range (a beacon).
                var entrySize = type == MeshFrameType.Have ? 4 : WantEntrySize;
                if (type == MeshFrameType.Want && span.Length < 1 + entrySize)
                {
                    return MeshFrameError.TooShort;
                }

                if (low != 0 || (span.Length - 1) % entrySize != 0)
                {
                    return MeshFrameError.Malformed;
                }

                frame = new MeshFrame(type, 0, 0, 0, 0, payload[1..]);
                return MeshFrameError.None;
            default:
                return MeshFrameError.UnknownType;
        }
    }

    /// <summary>The message ids of a have frame read by <see cref="TryRead"/>.</summary>
    public static uint[] ReadHave(in MeshFrame frame)
    {
        var span = frame.Body.Span;
        var ids = new uint[span.Length / 4];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = BinaryPrimitives.ReadUInt32BigEndian(span[(i * 4)..]);
        }

        return ids;
    }

    /// <summary>The entries of a want frame read by <see cref="TryRead"/>.</summary>
    public static WantEntry[] ReadWant(in MeshFrame frame)
    {
        var span = frame.Body.Span;
        var entries = new WantEntry[span.Length / WantEntrySize];
        for (var i = 0; i < entries.Length; i++)
        {
            var at = span[(i * WantEntrySize)..];
            entries[i] = new WantEntry(BinaryPrimitives.ReadUInt32BigEndian(at), BinaryPrimitives.ReadUInt16BigEndian(at[4..]));
        }

        return entries;
    }
}
