using Upseed.Meshtastic.Link;

namespace Upseed.Meshtastic.Tests;

public sealed class MeshtasticEndpointTests
{
    [Theory]
    [InlineData("tcp://192.168.1.20", "192.168.1.20", 4403)]
    [InlineData("tcp://meshtastic.local:4404", "meshtastic.local", 4404)]
    [InlineData("tcp://[::1]:4403", "::1", 4403)]
    [InlineData("TCP://radio/", "radio", 4403)]
    public void TryParse_Tcp(string text, string host, int port)
    {
        Assert.True(MeshtasticEndpoint.TryParse(text, out var endpoint, out _));
        Assert.False(endpoint.IsSerial);
        Assert.Equal((host, port), (endpoint.Host, endpoint.Port));
    }

    [Theory]
    [InlineData("serial:/dev/ttyACM0", "/dev/ttyACM0")]
    [InlineData("serial:///dev/ttyUSB1", "/dev/ttyUSB1")]
    public void TryParse_Serial(string text, string path)
    {
        Assert.True(MeshtasticEndpoint.TryParse(text, out var endpoint, out _));
        Assert.True(endpoint.IsSerial);
        Assert.Equal((path, 115200), (endpoint.DevicePath, endpoint.BaudRate));
        Assert.Equal("serial:" + path, endpoint.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("http://radio:4403")]
    [InlineData("tcp://radio:4403/path")]
    [InlineData("serial:ttyACM0")]
    [InlineData("/dev/ttyACM0")]
    public void TryParse_Invalid_SaysWhy(string text)
    {
        Assert.False(MeshtasticEndpoint.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void NodeId_RoundTrips()
    {
        Assert.Equal("!1a2b3c4d", MeshtasticNodeNumber.ToNodeId(0x1A2B3C4D));
        Assert.True(MeshtasticNodeNumber.TryParseNodeId("!1a2b3c4d", out var number));
        Assert.Equal(0x1A2B3C4Du, number);
        Assert.False(MeshtasticNodeNumber.TryParseNodeId("!xyz", out _));
        Assert.False(MeshtasticNodeNumber.TryParseNodeId("!123456789", out _));
    }
}
