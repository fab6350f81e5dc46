using System.Security.Cryptography;

namespace Upseed.Dht.Routing;

/// <summary>Bit-level helpers on <see cref="NodeId"/> that only the routing table needs.</summary>
internal static class NodeIdBits
{
    /// <summary>Bit <paramref name="index"/> counted from the most significant bit (0 = top bit of byte 0).</summary>
    public static bool GetBit(NodeId id, int index)
    {
        Span<byte> bytes = stackalloc byte[NodeId.Size];
        id.CopyTo(bytes);
        return (bytes[index >> 3] & (0x80 >> (index & 7))) != 0;
    }

    /// <summary>The same id with bit <paramref name="index"/> (from the top) inverted.</summary>
    public static NodeId FlipBit(NodeId id, int index)
    {
        Span<byte> bytes = stackalloc byte[NodeId.Size];
        id.CopyTo(bytes);
        bytes[index >> 3] ^= (byte)(0x80 >> (index & 7));
        return new NodeId(bytes);
    }

    /// <summary>A random id whose first <paramref name="prefixLength"/> bits are those of <paramref name="prefix"/>.</summary>
    public static NodeId RandomWithPrefix(NodeId prefix, int prefixLength)
    {
        Span<byte> fixedBits = stackalloc byte[NodeId.Size];
        Span<byte> bytes = stackalloc byte[NodeId.Size];
        prefix.CopyTo(fixedBits);
        RandomNumberGenerator.Fill(bytes);
        var whole = prefixLength >> 3;
        fixedBits[..whole].CopyTo(bytes);
        var rest = prefixLength & 7;
        if (rest != 0)
        {
            var mask = (byte)(0xFF << (8 - rest));
            bytes[whole] = (byte)((fixedBits[whole] & mask) | (bytes[whole] & ~mask));
        }

        return new NodeId(bytes);
    }
}
