using System.Net;
using System.Net.Sockets;
using Upseed.Metainfo;
using Upseed.Torrent.Lsd;
using Upseed.Torrent.Tests.Swarm;

namespace Upseed.Torrent.Tests.Lsd;

public class UdpMulticastLsdTransportTests
{
    [Fact]
    public async Task TwoNodesOnLoopback_FindEachOtherOverRealMulticast()
    {
        // The BEP 14 group on the loopback interface, on a random port so parallel runs and real clients on 6771 stay apart.
        var port = Random.Shared.Next(40_000, 60_000);
        var key = InfoHash.Parse("0123456789abcdef0123456789abcdef01234567");
        var clock = new LsdManualClock();
        await using var a = new LocalServiceDiscovery(new UdpMulticastLsdTransport(AddressFamily.InterNetwork, port, interfaceAddress: IPAddress.Loopback), 6881, [key], clock);
        await using var b = new LocalServiceDiscovery(new UdpMulticastLsdTransport(AddressFamily.InterNetwork, port, interfaceAddress: IPAddress.Loopback), 6882, [key], clock);
        a.Start();
        b.Start();

        await Eventually.TrueAsync(() => a.PeersFound >= 1 && b.PeersFound >= 1, TimeSpan.FromSeconds(10), "both hear each other on 127.0.0.1");

        Assert.True(a.Peers.TryRead(out var peerOfA));
        Assert.Equal(new LsdPeer(key, new IPEndPoint(IPAddress.Loopback, 6882)), peerOfA);
        Assert.True(b.Peers.TryRead(out var peerOfB));
        Assert.Equal(new LsdPeer(key, new IPEndPoint(IPAddress.Loopback, 6881)), peerOfB);
        Assert.Equal(0, a.DatagramsMalformed);
    }
}
