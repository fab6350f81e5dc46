using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;

namespace Upseed.Metainfo;

/// <summary>A BitTorrent v1 info-hash: SHA-1 of the bencoded <c>info</c> dictionary (BEP 3). 20 bytes.</summary>
public readonly struct InfoHash : IEquatable<InfoHash>, IComparable<InfoHash>
{
    public const int Size = 20;

    private const string Base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    // Three fields instead of an array: no allocation, and equality is three compares.
    private readonly ulong _a;
    private readonly ulong _b;
    private readonly uint _c;

    public InfoHash(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"An info-hash is {Size} bytes.", nameof(bytes));
        }

        _a = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        _b = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        _c = BinaryPrimitives.ReadUInt32BigEndian(bytes[16..]);
    }

    public void CopyTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _a);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _b);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], _c);
    }

    public byte[] ToArray()
    {
        var bytes = new byte[Size];
        CopyTo(bytes);
        return bytes;
    }

    /// <summary>40 lowercase hex characters, the form used in magnet links and on the CLI.</summary>
    public string ToHex()
    {
        Span<byte> bytes = stackalloc byte[Size];
        CopyTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>
    /// 32 uppercase RFC 4648 base32 characters, the older magnet-link form (BEP 9 allows it). Parsing accepts it, so
    /// this exists to write links for clients that still expect it and to test that path both ways.
    /// </summary>
    public string ToBase32()
    {
        Span<byte> bytes = stackalloc byte[Size];
        CopyTo(bytes);
        Span<char> text = stackalloc char[32];
        var buffer = 0;
        var bits = 0;
        var written = 0;
        foreach (var b in bytes)
        {
            buffer = ((buffer << 8) | b) & 0xFFF; // at most 4 unread bits + 8 new ones
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                text[written++] = Base32Alphabet[(buffer >> bits) & 31];
            }
        }

        // 160 bits is exactly 32 groups of 5: nothing is left over and no padding is needed.
        return new string(text);
    }

    public override string ToString() => ToHex();

    /// <summary>Parses 40 hex characters or 32 base32 characters (both appear in magnet links, BEP 9).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out InfoHash infoHash)
    {
        infoHash = default;
        if (text is null)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[Size];
        if (text.Length == 40)
        {
            if (Convert.FromHexString(text, bytes, out _, out var written) != System.Buffers.OperationStatus.Done || written != Size)
            {
                return false;
            }
        }
        else if (text.Length == 32)
        {
            if (!TryDecodeBase32(text, bytes))
            {
                return false;
            }
        }
        else
        {
            return false;
        }

        infoHash = new InfoHash(bytes);
        return true;
    }

    /// <exception cref="FormatException">The text is neither 40 hex nor 32 base32 characters.</exception>
    public static InfoHash Parse(string text) =>
        TryParse(text, out var infoHash) ? infoHash : throw new FormatException($"'{text}' is not an info-hash (40 hex or 32 base32 characters).");

    public bool Equals(InfoHash other) => _a == other._a && _b == other._b && _c == other._c;

    public override bool Equals(object? obj) => obj is InfoHash other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(_a, _b, _c);

    /// <summary>Orders as the raw bytes do.</summary>
    public int CompareTo(InfoHash other)
    {
        var cmp = _a.CompareTo(other._a);
        if (cmp != 0)
        {
            return cmp;
        }

        cmp = _b.CompareTo(other._b);
        return cmp != 0 ? cmp : _c.CompareTo(other._c);
    }

    public static bool operator ==(InfoHash left, InfoHash right) => left.Equals(right);

    public static bool operator !=(InfoHash left, InfoHash right) => !left.Equals(right);

    public static bool operator <(InfoHash left, InfoHash right) => left.CompareTo(right) < 0;

    public static bool operator >(InfoHash left, InfoHash right) => left.CompareTo(right) > 0;

    public static bool operator <=(InfoHash left, InfoHash right) => left.CompareTo(right) <= 0;

    public static bool operator >=(InfoHash left, InfoHash right) => left.CompareTo(right) >= 0;

    // RFC 4648 base32 alphabet, case-insensitive, no padding: 32 characters carry exactly 160 bits.
    private static bool TryDecodeBase32(string text, Span<byte> destination)
    {
        var buffer = 0UL;
        var bits = 0;
        var written = 0;
        foreach (var ch in text)
        {
            int value = ch switch
            {
                >= 'A' and <= 'Z' => ch - 'A',
                >= 'a' and <= 'z' => ch - 'a',
                >= '2' and <= '7' => ch - '2' + 26,
                _ => -1,
            };
            if (value < 0)
            {
                return false;
            }

            buffer = (buffer << 5) | (uint)value;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                destination[written++] = (byte)(buffer >> bits);
            }
        }

        return written == Size;
    }
}
