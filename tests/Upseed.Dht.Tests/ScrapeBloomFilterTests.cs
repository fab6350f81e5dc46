using System.Net;

namespace Upseed.Dht.Tests;

public class ScrapeBloomFilterTests
{
    // BEP 33 test vector (PROTOCOLS.md §2.3): 192.0.2.0–255 and 2001:db8::–2001:db8::3e7.
    [Fact]
    public void Bep33Vector_BytesAndEstimate()
    {
        var filter = new ScrapeBloomFilter();
        for (var i = 0; i < 256; i++)
        {
            filter.Add(new IPAddress(new byte[] { 192, 0, 2, (byte)i }));
        }

        var v6 = IPAddress.Parse("2001:db8::").GetAddressBytes();
        for (var i = 0; i < 1000; i++)
        {
            v6[14] = (byte)(i >> 8);
            v6[15] = (byte)i;
            filter.Add(new IPAddress(v6));
        }

        Assert.Equal("F6C3F5EAA07FFD91", Convert.ToHexString(filter.Bytes[..8]));
        // The vector quotes the estimate to 4 decimals, truncated (1224.93086…).
        Assert.InRange(filter.EstimateCount(), 1224.9308, 1224.9309);
    }

    [Fact]
    public void Union_OfTwoHalves_EqualsWhole()
    {
        var a = new ScrapeBloomFilter();
        var b = new ScrapeBloomFilter();
        var whole = new ScrapeBloomFilter();
        for (var i = 0; i < 100; i++)
        {
            var ip = new IPAddress(new byte[] { 198, 51, 100, (byte)i });
            (i % 2 == 0 ? a : b).Add(ip);
            whole.Add(ip);
        }

        a.Union(b);

        Assert.Equal(whole.Bytes.ToArray(), a.Bytes.ToArray());
        // c = min(m − 1, zero bits) keeps an empty filter's estimate finite: ln(2047/2048)/(2·ln(1 − 1/2048)) ≈ 0.5.
        Assert.Equal(0.5, new ScrapeBloomFilter().EstimateCount(), 3);
    }

    [Fact]
    public void Constructor_WrongSize_Throws()
    {
        Assert.Throws<ArgumentException>(() => new ScrapeBloomFilter(new byte[255]));
    }
}
