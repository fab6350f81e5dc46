using System.Net;
using System.Net.Sockets;
using Upseed.Bencode;
using Upseed.Dht.Krpc;
using Upseed.Dht.Node;
using Upseed.Dht.Tests.Routing;
using Xunit.Abstractions;

namespace Upseed.Dht.Tests.Node;

public sealed class DhtNodeTests(ITestOutputHelper output)
{
    private static readonly DhtNodeOptions s_fast = new()
    {
        QueryTimeout = TimeSpan.FromSeconds(10), // a deadline for failures; a loaded CI machine must not trip it
        RateLimitPerSecond = 100_000,
        RateLimitBurst = 100_000,
    };

    private static DhtNode Start(TimeProvider? clock = null, DhtNodeOptions? options = null) =>
        new(new UdpDhtSocket(new IPEndPoint(IPAddress.Loopback, 0)), NodeId.Random(), clock ?? TimeProvider.System, options ?? s_fast);

    [Fact]
    public async Task Ping_BothRoutingTablesLearnTheOther()
    {
        await using var a = Start();
        await using var b = Start();

        var reply = await a.PingAsync(b.EndPoint);

        Assert.Equal(b.Id, reply.Id);
        Assert.True(a.Knows(b.Id));
        Assert.True(b.Knows(a.Id));
        Assert.Equal(0, a.PendingRequests);
    }

    [Fact]
    public async Task AnnounceWithValidToken_ThenGetPeersFromThirdNode_FindsPeer()
    {
        await using var storer = Start();
        await using var announcer = Start();
        await using var seeker = Start();
        var infoHash = NodeId.Random();

        var first = await announcer.GetPeersAsync(storer.EndPoint, infoHash);
        Assert.False(first.Token.IsEmpty);
        Assert.Empty(first.Values);
        await announcer.AnnouncePeerAsync(storer.EndPoint, infoHash, 6881, first.Token);
        await announcer.AnnouncePeerAsync(storer.EndPoint, infoHash, 0, first.Token, impliedPort: true, seed: true);

        var found = await seeker.GetPeersAsync(storer.EndPoint, infoHash, scrape: true);

        Assert.Contains(new IPEndPoint(IPAddress.Loopback, 6881), found.Values);
        Assert.Contains(announcer.EndPoint, found.Values);
        var seeds = new ScrapeBloomFilter(found.SeedsFilter.Span);
        var peers = new ScrapeBloomFilter(found.PeersFilter.Span);
        Assert.True(seeds.EstimateCount() >= 0.5);
        Assert.True(peers.EstimateCount() >= 0.5);
    }

    [Fact]
    public async Task ForgedToken_GetsError203()
    {
        await using var storer = Start();
        await using var announcer = Start();

        var ex = await Assert.ThrowsAsync<DhtQueryException>(() =>
            announcer.AnnouncePeerAsync(storer.EndPoint, NodeId.Random(), 6881, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 }));

        Assert.Equal(KrpcErrorCode.Protocol, ex.Error.Code);
    }

    [Fact]
    public async Task TokenFromAnotherIp_OrExpired_GetsError203_AndValidWithinTwoRotations()
    {
        var clock = new ManualTimeProvider();
        await using var storer = Start(clock);
        await using var announcer = Start(clock);
        var infoHash = NodeId.Random();
        var token = (await announcer.GetPeersAsync(storer.EndPoint, infoHash)).Token;

        clock.Advance(TimeSpan.FromMinutes(6)); // one rotation: previous secret still accepted
        await announcer.AnnouncePeerAsync(storer.EndPoint, infoHash, 6881, token);

        clock.Advance(TimeSpan.FromMinutes(5)); // two rotations: expired
        var ex = await Assert.ThrowsAsync<DhtQueryException>(() => announcer.AnnouncePeerAsync(storer.EndPoint, infoHash, 6881, token));
        Assert.Equal(KrpcErrorCode.Protocol, ex.Error.Code);
    }

    [Fact]
    public async Task RateLimitedIp_IsDropped()
    {
        var options = s_fast with { RateLimitPerSecond = 0.001, RateLimitBurst = 3, QueryTimeout = TimeSpan.FromMilliseconds(300) };
        await using var limited = Start(options: options);
        await using var client = Start();

        for (var i = 0; i < 3; i++)
        {
            await client.PingAsync(limited.EndPoint);
        }

        await Assert.ThrowsAsync<TimeoutException>(() => client.PingAsync(limited.EndPoint));
        Assert.True(limited.Dropped >= 1);
    }

    [Fact]
    public async Task Dispose_FailsPendingRequests()
    {
        var options = s_fast with { QueryTimeout = TimeSpan.FromSeconds(30) };
        var node = Start(options: options);
        using var silent = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var ping = node.PingAsync((IPEndPoint)silent.Client.LocalEndPoint!);
        await node.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => ping);
    }

    [Fact]
    public async Task Fuzz2000MalformedDatagrams_NodeKeepsAnsweringPings()
    {
        await using var node = Start();
        using var fuzzer = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var random = new Random(4242);
        var valid = new[]
        {
            KrpcCodec.Encode(KrpcMessage.ForQuery(new byte[] { 1, 2 }, new PingQuery(NodeId.Random()))),
            KrpcCodec.Encode(KrpcMessage.ForQuery(new byte[] { 3, 4 }, new FindNodeQuery(NodeId.Random(), NodeId.Random(), []))),
            KrpcCodec.Encode(KrpcMessage.ForQuery(new byte[] { 5, 6 }, new GetPeersQuery(NodeId.Random(), NodeId.Random(), [], false, true))),
            KrpcCodec.Encode(KrpcMessage.ForQuery(new byte[] { 7, 8 }, new AnnouncePeerQuery(NodeId.Random(), NodeId.Random(), 1, false, new byte[8], false))),
            KrpcCodec.Encode(KrpcMessage.ForResponse(new byte[] { 9, 9, 9, 9 }, new KrpcResponse(NodeId.Random()))),
            KrpcCodec.Encode(KrpcMessage.ForError(new byte[] { 9, 9 }, new KrpcError(201, "x"))),
        };
        for (var i = 0; i < 2000; i++)
        {
            byte[] datagram;
            switch (i % 4)
            {
                case 0:
                    datagram = new byte[random.Next(0, 1600)];
                    random.NextBytes(datagram);
                    break;
                case 1:
                    datagram = (byte[])valid[random.Next(valid.Length)].Clone();
                    for (var m = random.Next(1, 6); m > 0; m--)
                    {
                        datagram[random.Next(datagram.Length)] = (byte)random.Next(256);
                    }

                    break;
                case 2:
                    var source = valid[random.Next(valid.Length)];
                    datagram = source[..random.Next(source.Length)];
                    break;
                default:
                    var d = new BDictionary();
                    d.Set("t", new byte[] { 1 });
                    d.Set("y", "q");
                    d.Set("q", random.Next(3) == 0 ? "nope" : "get_peers");
                    var a = new BDictionary();
                    a.Set("id", new byte[random.Next(0, 25)]);
                    a.Set("info_hash", random.Next(2) == 0 ? (BValue)new BInteger(5) : new BString(new byte[20]));
                    d.Set("a", a);
                    datagram = d.Encode();
                    break;
            }

            await fuzzer.SendAsync(datagram, datagram.Length, node.EndPoint);
        }

        await using var client = Start();
        output.WriteLine($"before ping: answered {node.QueriesAnswered}, errors {node.ErrorsSent}, dropped {node.Dropped}");

        // The node may still be working through the burst (or the kernel dropped the first ping with it): ask a few
        // times. What matters is that it answers at all after the fuzz.
        Upseed.Dht.Krpc.KrpcResponse? reply = null;
        for (var attempt = 0; attempt < 5 && reply is null; attempt++)
        {
            try
            {
                reply = await client.PingAsync(node.EndPoint);
            }
            catch (TimeoutException)
            {
                // try again
            }
        }

        Assert.NotNull(reply);
        Assert.Equal(node.Id, reply.Id);
        output.WriteLine($"fuzz: answered {node.QueriesAnswered}, errors {node.ErrorsSent}, dropped {node.Dropped}");
    }

    [Fact]
    public async Task FiftyNodesBootstrappedInAChain_LookupFindsAnnouncedPeer()
    {
        var nodes = new List<DhtNode>();
        try
        {
            for (var i = 0; i < 50; i++)
            {
                var node = Start();
                nodes.Add(node);
                if (i > 0)
                {
                    await node.BootstrapAsync([nodes[i - 1].EndPoint]);
                }
            }

            // A chain alone leaves the early nodes knowing only their neighbours. Real nodes fill their tables by
            // refreshing buckets; one more bootstrap round through the whole network stands in for that, so the
            // announce and the lookups converge on the same closest nodes.
            foreach (var node in nodes)
            {
                await node.BootstrapAsync([nodes[^1].EndPoint, nodes[0].EndPoint]);
            }

            var infoHash = NodeId.Random();
            var (_, stored) = await nodes[7].AnnounceAsync(infoHash, 7777);
            Assert.True(stored > 0);

            var hops = new List<int>();
            var messages = new List<int>();
            foreach (var seeker in new[] { nodes[0], nodes[25], nodes[49] })
            {
                var result = await seeker.LookupAsync(infoHash);
                Assert.Contains(new IPEndPoint(IPAddress.Loopback, 7777), result.Peers);
                hops.Add(result.Hops);
                messages.Add(result.MessagesSent);
            }

            output.WriteLine($"50 nodes: stored at {stored}, hops {string.Join(',', hops)}, messages {string.Join(',', messages)}");
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }
}
