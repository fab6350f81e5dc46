using System.Net;
using Upseed.Dht.Node;
using Upseed.Dht.Tests.Routing;

namespace Upseed.Dht.Tests.Node;

/// <summary>BEP 5 routing-table upkeep and persistence, with real nodes on loopback and a manual clock for staleness.</summary>
public sealed class DhtMaintenanceTests : IDisposable
{
    private static readonly DhtNodeOptions s_options = new()
    {
        QueryTimeout = TimeSpan.FromSeconds(3), // dead nodes must time out; live loopback nodes answer in well under that
        RateLimitPerSecond = 100_000,
        RateLimitBurst = 100_000,
        MaintenanceInterval = TimeSpan.Zero, // the test drives the rounds
    };

    private readonly string _folder = Directory.CreateTempSubdirectory("upseed-dht-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static DhtNode Start(TimeProvider clock, NodeId? id = null) =>
        new(new UdpDhtSocket(new IPEndPoint(IPAddress.Loopback, 0)), id ?? NodeId.Random(), clock, s_options);

    [Fact]
    public async Task QuestionableNodesArePinged_DeadOnesGoBad_LiveOnesGood_StaleBucketsRefreshed()
    {
        var clock = new ManualTimeProvider();
        await using var node = Start(clock);
        var others = new List<DhtNode>();
        try
        {
            for (var i = 0; i < 6; i++)
            {
                var other = Start(clock);
                others.Add(other);
                await node.PingAsync(other.EndPoint);
            }

            Assert.Equal(6, node.GetRoutingTableCounts().Good);
            await others[0].DisposeAsync();
            await others[1].DisposeAsync();
            clock.Advance(TimeSpan.FromMinutes(16));
            Assert.Equal(6, node.GetRoutingTableCounts().Questionable);

            var first = await node.RunMaintenanceAsync();

            Assert.Equal(6, first.Pinged);
            Assert.Equal(4, first.Answered);
            Assert.True(first.BucketsRefreshed >= 1);
            Assert.Equal(4, first.Counts.Good);

            // Three failures in a row make a node bad (RoutingTableOptions.MaxConsecutiveFailures).
            await node.RunMaintenanceAsync();
            var third = await node.RunMaintenanceAsync();
            Assert.Equal(2, third.Counts.Bad);
            Assert.Equal(4, third.Counts.Good);
            Assert.Equal(0, third.BucketsRefreshed); // refreshed in round one, not stale again yet
        }
        finally
        {
            foreach (var other in others)
            {
                await other.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task SavedState_RestartRejoinsWithoutBootstrap_AndFindsAnnouncedPeer()
    {
        var nodes = await DhtItemTests.StartNetworkAsync(12);
        var path = Path.Combine(_folder, "dht.state");
        try
        {
            var infoHash = NodeId.Random();
            var (_, stored) = await nodes[4].AnnounceAsync(infoHash, 7777);
            Assert.True(stored > 0);

            var leaving = nodes[11];
            leaving.SaveState(path);
            var id = leaving.Id;
            await leaving.DisposeAsync();
            nodes.RemoveAt(11);

            Assert.True(DhtNodeState.TryLoad(path, out var state, out var error), error);
            Assert.Equal(id, state.Id);
            Assert.True(state.Nodes.Count >= 8);

            var restarted = Start(TimeProvider.System, state.Id);
            nodes.Add(restarted);
            var rejoin = await restarted.RejoinAsync(state);

            Assert.True(rejoin.Closest.Count >= 8);
            Assert.True(restarted.GetRoutingTableCounts().Good >= 8);
            var found = await restarted.LookupAsync(infoHash);
            Assert.Contains(new IPEndPoint(IPAddress.Loopback, 7777), found.Peers);
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    [Fact]
    public void State_RoundTripsExternalAddress_AndCorruptFilesAreRefused()
    {
        var path = Path.Combine(_folder, "state");
        var contacts = new[] { new Upseed.Dht.Routing.NodeContact(NodeId.Random(), new IPEndPoint(IPAddress.Parse("1.2.3.4"), 6881)) };
        new DhtNodeState(NodeId.Random(), contacts, IPAddress.Parse("65.23.51.170")).Save(path);

        Assert.True(DhtNodeState.TryLoad(path, out var state, out _));
        Assert.Equal(IPAddress.Parse("65.23.51.170"), state.ExternalAddress);
        Assert.Equal(contacts, state.Nodes);

        Assert.False(DhtNodeState.TryLoad(Path.Combine(_folder, "missing"), out _, out var missing));
        Assert.Equal("no saved state", missing);
        File.WriteAllBytes(path, [.. "d2:id3:abce"u8]);
        Assert.False(DhtNodeState.TryLoad(path, out _, out _));
        File.WriteAllBytes(path, [0xff, 0x00, 0x13]);
        Assert.False(DhtNodeState.TryLoad(path, out _, out _));
    }
}
