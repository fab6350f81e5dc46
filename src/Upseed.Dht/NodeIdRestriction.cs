using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Upseed.Dht;

/// <summary>
/// BEP 42 node-id restriction: the top 21 bits of a node id are the top 21 bits of CRC-32C over the node's masked
/// external IP with a 3-bit random <c>r</c>, and the last byte of the id is the random byte whose low 3 bits are r.
/// </summary>
public static class NodeIdRestriction
{
    // BEP 42: v4 mask 0x030f3fff with r in the top 3 bits; v6 uses the high 64 bits masked with 0x0103070f1f3f7fff.
    private const uint V4Mask = 0x030F3FFF;
    private const ulong V6Mask = 0x0103070F1F3F7FFF;

    /// <summary>
    /// Builds a compliant id for <paramref name="ip"/>. <paramref name="r"/> is the random byte that ends the id (its low
    /// 3 bits feed the CRC); <paramref name="randomTail"/> fills id bytes 2..18, of which byte 2 keeps only its low 3 bits.
    /// </summary>
    /// <exception cref="ArgumentException">The tail is not 17 bytes, or the address is neither IPv4 nor IPv6.</exception>
    public static NodeId Create(IPAddress ip, byte r, ReadOnlySpan<byte> randomTail)
    {
        ArgumentNullException.ThrowIfNull(ip);
        if (randomTail.Length != 17)
        {
            throw new ArgumentException("The random tail is 17 bytes (id bytes 2..18).", nameof(randomTail));
        }

        var crc = Crc(ip, r);
        Span<byte> id = stackalloc byte[NodeId.Size];
        randomTail.CopyTo(id[2..]);
        id[0] = (byte)(crc >> 24);
        id[1] = (byte)(crc >> 16);
        id[2] = (byte)(((crc >> 8) & 0xF8) | (uint)(randomTail[0] & 0x07));
        id[19] = r;
        return new NodeId(id);
    }

    /// <summary>A random compliant id for <paramref name="ip"/>.</summary>
    public static NodeId CreateRandom(IPAddress ip)
    {
        Span<byte> random = stackalloc byte[18];
        RandomNumberGenerator.Fill(random);
        return Create(ip, random[17], random[..17]);
    }

    /// <summary>
    /// True when <paramref name="id"/> complies with BEP 42 for <paramref name="ip"/>, or when the address is exempt
    /// (BEP 42: 10/8, 172.16/12, 192.168/16, 169.254/16, 127/8; also IPv6 loopback, link-local, site-local and unique local).
    /// </summary>
    public static bool IsValid(NodeId id, IPAddress ip)
    {
        ArgumentNullException.ThrowIfNull(ip);
        if (IsExempt(ip))
        {
            return true;
        }

        Span<byte> bytes = stackalloc byte[NodeId.Size];
        id.CopyTo(bytes);
        var crc = Crc(ip, bytes[19]);
        return bytes[0] == (byte)(crc >> 24)
            && bytes[1] == (byte)(crc >> 16)
            && (bytes[2] & 0xF8) == ((crc >> 8) & 0xF8);
    }

    /// <summary>Whether BEP 42 exempts this address from the restriction (local and private ranges).</summary>
    public static bool IsExempt(IPAddress ip)
    {
        ArgumentNullException.ThrowIfNull(ip);
        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        if (ip.AddressFamily == AddressFamily.InterNetwork)
        {
            Span<byte> b = stackalloc byte[4];
            ip.TryWriteBytes(b, out _);
            return b[0] == 10
                || (b[0] == 172 && (b[1] & 0xF0) == 16)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 169 && b[1] == 254)
                || b[0] == 127;
        }

        // BEP 42 lists IPv4 ranges only; the IPv6 counterparts of "local network" are exempt for the same reason.
        return IPAddress.IsLoopback(ip) || ip.IsIPv6LinkLocal || ip.IsIPv6UniqueLocal || ip.IsIPv6SiteLocal;
    }

    private static uint Crc(IPAddress ip, byte r)
    {
        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        Span<byte> buffer = stackalloc byte[16];
        if (!ip.TryWriteBytes(buffer, out var written))
        {
            throw new ArgumentException("Unsupported address.", nameof(ip));
        }

        var rBits = (uint)(r & 0x07);
        if (written == 4)
        {
            var v = (BinaryPrimitives.ReadUInt32BigEndian(buffer) & V4Mask) | (rBits << 29);
            BinaryPrimitives.WriteUInt32BigEndian(buffer, v);
            return Crc32C.Compute(buffer[..4]);
        }

        var hi = (BinaryPrimitives.ReadUInt64BigEndian(buffer) & V6Mask) | ((ulong)rBits << 61);
        BinaryPrimitives.WriteUInt64BigEndian(buffer, hi);
        return Crc32C.Compute(buffer[..8]);
    }
}
