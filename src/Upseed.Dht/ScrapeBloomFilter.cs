using System.Net;
using System.Security.Cryptography;

namespace Upseed.Dht;

/// <summary>
/// BEP 33 scrape Bloom filter: 256 bytes (m = 2048 bits), k = 2 indices taken from SHA-1 of the IP address bytes
/// (4 or 16, no port). Filters OR together to count a union.
/// </summary>
public sealed class ScrapeBloomFilter
{
    /// <summary>Filter size in bytes (BEP 33).</summary>
    public const int Size = 256;

    private const int Bits = Size * 8;
    private const int HashCount = 2;

    private readonly byte[] _bits = new byte[Size];

    public ScrapeBloomFilter()
    {
    }

    /// <exception cref="ArgumentException">The filter is not 256 bytes.</exception>
    public ScrapeBloomFilter(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"A BEP 33 filter is {Size} bytes.", nameof(bytes));
        }

        bytes.CopyTo(_bits);
    }

    /// <summary>The filter's 256 bytes, as sent in <c>BFsd</c>/<c>BFpe</c>.</summary>
    public ReadOnlySpan<byte> Bytes => _bits;

    public void Add(IPAddress ip)
    {
        ArgumentNullException.ThrowIfNull(ip);
        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        Span<byte> address = stackalloc byte[16];
        ip.TryWriteBytes(address, out var length);
        Span<byte> h = stackalloc byte[SHA1.HashSizeInBytes];
        SHA1.HashData(address[..length], h);
        Set((h[0] | (h[1] << 8)) % Bits);
        Set((h[2] | (h[3] << 8)) % Bits);
    }

    /// <summary>ORs another filter into this one.</summary>
    public void Union(ScrapeBloomFilter other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var i = 0; i < Size; i++)
        {
            _bits[i] |= other._bits[i];
        }
    }

    /// <summary>BEP 33 estimate: c = min(m − 1, zero bits), n = ln(c/m) / (k·ln(1 − 1/m)).</summary>
    public double EstimateCount()
    {
        var set = 0;
        foreach (var b in _bits)
        {
            set += System.Numerics.BitOperations.PopCount(b);
        }

        var c = Math.Min(Bits - 1, Bits - set);
        return Math.Log(c / (double)Bits) / (HashCount * Math.Log(1 - (1.0 / Bits)));
    }

    private void Set(int index) => _bits[index / 8] |= (byte)(1 << (index % 8));
}
