using System.Net;

namespace Upseed.Dht.Tests;

public class NodeIdRestrictionTests
{
    // BEP 42 "Test vectors" (PROTOCOLS.md §2.2): IP, rand → id prefix (21 bits count) … last byte.
    [Theory]
    [InlineData("124.31.75.21", 1, "5fbfbf", "01")]
    [InlineData("21.75.31.124", 86, "5a3ce9", "56")]
    [InlineData("65.23.51.170", 22, "a5d432", "16")]
    [InlineData("84.124.73.14", 65, "1b0321", "41")]
    [InlineData("43.213.53.83", 90, "e56f6c", "5a")]
    public void Create_MatchesBep42Vectors(string ip, int rand, string prefixHex, string lastHex)
    {
        var tail = new byte[17];
        new Random(rand).NextBytes(tail);

        var id = NodeIdRestriction.Create(IPAddress.Parse(ip), (byte)rand, tail);
        var bytes = id.ToArray();
        var prefix = Convert.FromHexString(prefixHex);

        Assert.Equal(prefix[0], bytes[0]);
        Assert.Equal(prefix[1], bytes[1]);
        Assert.Equal(prefix[2] & 0xF8, bytes[2] & 0xF8);
        Assert.Equal(Convert.FromHexString(lastHex)[0], bytes[19]);
        Assert.True(NodeIdRestriction.IsValid(id, IPAddress.Parse(ip)));
    }

    [Fact]
    public void IsValid_WrongPrefix_IsFalse()
    {
        var ip = IPAddress.Parse("124.31.75.21");
        var bytes = NodeIdRestriction.Create(ip, 1, new byte[17]).ToArray();
        bytes[0] ^= 0x80;

        Assert.False(NodeIdRestriction.IsValid(new NodeId(bytes), ip));
    }

    [Theory]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.1")]
    [InlineData("192.168.1.1")]
    [InlineData("169.254.3.4")]
    [InlineData("127.0.0.1")]
    public void IsValid_ExemptRanges_AcceptAnyId(string ip)
    {
        Assert.True(NodeIdRestriction.IsValid(NodeId.Random(), IPAddress.Parse(ip)));
    }

    [Fact]
    public void IsExempt_PublicAndNeighbouringRanges_AreNot()
    {
        Assert.False(NodeIdRestriction.IsExempt(IPAddress.Parse("172.32.0.1")));
        Assert.False(NodeIdRestriction.IsExempt(IPAddress.Parse("8.8.8.8")));
    }

    [Fact]
    public void CreateRandom_IPv6_IsValid()
    {
        var ip = IPAddress.Parse("2001:db8::1");

        Assert.True(NodeIdRestriction.IsValid(NodeIdRestriction.CreateRandom(ip), ip));
    }

    [Fact]
    public void Crc32C_CheckValue()
    {
        // The standard CRC-32C check value: crc("123456789") = 0xE3069283.
        Assert.Equal(0xE3069283u, Crc32C.Compute("123456789"u8));
    }
}
