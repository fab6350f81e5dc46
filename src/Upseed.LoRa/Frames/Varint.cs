namespace Upseed.LoRa.Frames;

/// <summary>
/// Unsigned LEB128 varints (7 bits a byte, least significant group first, high bit = more), as in protobuf; signed
/// values go through zigzag first so that -1 costs one byte.
/// </summary>
internal static class Varint
{
    /// <summary>A 64-bit value takes at most 10 bytes.</summary>
    public const int MaxLength = 10;

    public static int Write(Span<byte> destination, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }

    public static int Length(ulong value)
    {
        var length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }

        return length;
    }

    /// <summary>
    /// Reads a varint. False when the input ends first, the value overflows 64 bits, or the encoding is not the
    /// shortest (a trailing zero group): one value, one encoding, so a decoded record re-encodes to the same bytes.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out ulong value, out int consumed)
    {
        value = 0;
        consumed = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (consumed >= source.Length)
            {
                return false;
            }

            var b = source[consumed++];
            if (shift == 63 && b > 1)
            {
                return false;
            }

            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return b != 0 || consumed == 1;
            }
        }

        return false;
    }

    public static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));

    public static long UnZigZag(ulong value) => (long)(value >> 1) ^ -(long)(value & 1);
}
