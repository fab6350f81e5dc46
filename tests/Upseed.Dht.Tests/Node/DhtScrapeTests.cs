using System.Net;
using Upseed.Dht.Node;
using Xunit.Abstractions;

namespace Upseed.Dht.Tests.Node;

/// <summary>BEP 33 between real nodes on loopback; announcers bind distinct 127.0.0.x addresses because the filters count IPs.</summary>
public sealed class DhtScrapeTests(ITestOutputHelper output)
{
    private static readonly DhtNodeOptions s_fast = new()
    {
        QueryTimeout = TimeSpan.FromSeconds(10),
        RateLimitPerSecond = 100_000,
        RateLimitBurst = 100_000,
    };

    private static DhtNode Start(string address) =>
        new(new UdpDhtSocket(new IPEndPoint(IPAddress.Parse(address), 0)), NodeId.Random(), TimeProvider.System, s_fast);

    [Fact]
    public async Task Scrape_MergesClosestFilters_EstimatesSeedsAndPeers()
    {
        var nodes = await DhtItemTests.StartNetworkAsync(12);
        var announcers = new List<DhtNode>();
        try
        {
            var infoHash = NodeId.Random();
            for (var i = 0; i < 12; i++)
            {
                var announcer = Start($"127.0.1.{i + 1}");
                announcers.Add(announcer);
                await announcer.BootstrapAsync([nodes[i].EndPoint]);
                var (_, stored) = await announcer.AnnounceAsync(infoHash, 6881, seed: i < 5);
                Assert.True(stored > 0);
            }

            var scrape = await nodes[0].ScrapeAsync(infoHash);

            output.WriteLine($"seeds {scrape.Seeds:F2}, peers {scrape.Peers:F2}, from {scrape.Responders} nodes, {scrape.Lookup.MessagesSent} messages");
            Assert.InRange(scrape.Seeds, 4.5, 5.5);
            Assert.InRange(scrape.Peers, 6.5, 7.5);
            Assert.True(scrape.Responders >= 4);

            // A leecher that becomes a seed re-announces with seed=1; the storers move it to BFsd. (It may stay in BFpe:
            // a storer the re-announce missed still holds it as a leecher, and the union keeps it.)
            await announcers[6].AnnounceAsync(infoHash, 6881, seed: true);
            var after = await nodes[5].ScrapeAsync(infoHash);
            Assert.InRange(after.Seeds, 5.5, 6.5);

            var nothing = await nodes[3].ScrapeAsync(NodeId.Random());
            // BEP 33's estimate of an empty filter is about 0.5 (c is capped at m − 1).
            Assert.True(nothing.Seeds < 1);
            Assert.True(nothing.Peers < 1);
        }
        finally
        {
            foreach (var node in nodes.Concat(announcers))
            {
                await node.DisposeAsync();
            }
        }
    }
}
