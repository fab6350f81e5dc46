using System.Buffers.Binary;
using System.Numerics;
using Upseed.Metainfo;

namespace Upseed.Sync.Reconciliation;

/// <summary>
/// The salted 48-bit hash each item is summed and listed by: SipHash-2-4 (Aumasson and Bernstein) of the 20-byte id
/// under the session's 16-byte salt. A salt chosen by the initiator per reconciliation means nobody can make two
/// different sets sum alike in advance, and a rare unlucky match in one session is not repeated in the next.
/// </summary>
public readonly struct ItemHasher
{
    /// <summary>Bytes of salt.</summary>
    public const int SaltSize = 16;

    /// <summary>Bytes of an item hash on the wire.</summary>
    public const int HashSize = RangeSummary.SumSize;

    private readonly ulong _k0;
    private readonly ulong _k1;

    public ItemHasher(ReadOnlySpan<byte> salt)
    {
        if (salt.Length != SaltSize)
        {
            throw new ArgumentException($"A salt is {SaltSize} bytes.", nameof(salt));
        }

        _k0 = BinaryPrimitives.ReadUInt64LittleEndian(salt);
        _k1 = BinaryPrimitives.ReadUInt64LittleEndian(salt[8..]);
    }

    /// <summary>The item's 48-bit hash.</summary>
    public ulong Hash(InfoHash id)
    {
        Span<byte> bytes = stackalloc byte[InfoHash.Size];
        id.CopyTo(bytes);
        return SipHash24(bytes) & RangeSummary.SumMask;
    }

    /// <summary>
    /// The 24-bit check of a hash: a non-linear function (the SplitMix64 finaliser), so that a sum of several
    /// differences does not pass for the check of their sum.
    /// </summary>
    public static uint Check(ulong hash)
    {
        var z = hash + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (uint)(z >> 40) & RangeSummary.CheckMask;
    }

    // SipHash-2-4 over exactly 20 bytes: two full words, then the last 4 bytes with the length in the top byte.
    private ulong SipHash24(ReadOnlySpan<byte> data)
    {
        var v0 = _k0 ^ 0x736f6d6570736575UL;
        var v1 = _k1 ^ 0x646f72616e646f6dUL;
        var v2 = _k0 ^ 0x6c7967656e657261UL;
        var v3 = _k1 ^ 0x7465646279746573UL;
        Compress(ref v0, ref v1, ref v2, ref v3, BinaryPrimitives.ReadUInt64LittleEndian(data));
        Compress(ref v0, ref v1, ref v2, ref v3, BinaryPrimitives.ReadUInt64LittleEndian(data[8..]));
        Compress(ref v0, ref v1, ref v2, ref v3, BinaryPrimitives.ReadUInt32LittleEndian(data[16..]) | ((ulong)data.Length << 56));
        v2 ^= 0xff;
        for (var i = 0; i < 4; i++)
        {
            Round(ref v0, ref v1, ref v2, ref v3);
        }

        return v0 ^ v1 ^ v2 ^ v3;
    }

    private static void Compress(ref ulong v0, ref ulong v1, ref ulong v2, ref ulong v3, ulong m)
    {
        v3 ^= m;
        Round(ref v0, ref v1, ref v2, ref v3);
        Round(ref v0, ref v1, ref v2, ref v3);
        v0 ^= m;
    }

    private static void Round(ref ulong v0, ref ulong v1, ref ulong v2, ref ulong v3)
    {
        v0 += v1;
        v1 = BitOperations.RotateLeft(v1, 13);
        v1 ^= v0;
        v0 = BitOperations.RotateLeft(v0, 32);
        v2 += v3;
        v3 = BitOperations.RotateLeft(v3, 16);
        v3 ^= v2;
        v0 += v3;
        v3 = BitOperations.RotateLeft(v3, 21);
        v3 ^= v0;
        v2 += v1;
        v1 = BitOperations.RotateLeft(v1, 17);
        v1 ^= v2;
        v2 = BitOperations.RotateLeft(v2, 32);
    }
}
