namespace Upseed.Sync.Reconciliation;

/// <summary>
/// Negentropy's varint (PROTOCOLS.md §6): base 128, most significant group first, the high bit set on every byte
/// but the last. Decoding is strict: no leading zero groups, at most 64 bits.
/// </summary>
public static class Varint
{
    /// <summary>Most bytes a 64-bit value takes.</summary>
    public const int MaxLength = 10;

    public static int Length(ulong value)
    {
        var length = 1;
        while ((value >>= 7) != 0)
        {
            length++;
        }

        return length;
    }

    /// <summary>Writes the value; returns the bytes written.</summary>
    public static int Write(Span<byte> destination, ulong value)
    {
        var length = Length(value);
        for (var i = length - 1; i >= 0; i--)
        {
            destination[i] = (byte)((value & 0x7F) | (i == length - 1 ? 0UL : 0x80UL));
            value >>= 7;
        }

        return length;
    }

    /// <summary>Reads a varint at the start of <paramref name="source"/>; false when it is cut short, padded or too large.</summary>
    public static bool TryRead(ReadOnlySpan<byte> source, out ulong value, out int consumed)
    {
        value = 0;
        consumed = 0;
        for (var i = 0; i < source.Length && i < MaxLength; i++)
        {
            var b = source[i];
            if (i == 0 && b == 0x80)
            {
                return false; // a leading zero group: not the shortest form
            }

            if ((value >> 57) != 0)
            {
                return false; // another 7 bits would overflow 64
            }

            value = (value << 7) | (uint)(b & 0x7F);
            if ((b & 0x80) == 0)
            {
                consumed = i + 1;
                return true;
            }
        }

        value = 0;
        return false;
    }
}
