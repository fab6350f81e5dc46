using System.Text;
using System.Text.Json;
using Upseed.Dht.Items;
using Upseed.Dht.Node;
using Upseed.Node.Discovery;

namespace Upseed.Node.Tests.Discovery;

/// <summary>Three in-process nodes on 127.0.0.1: one isolated (bootstrap none), two joining through it.</summary>
public sealed class DhtDiscoveryTests
{
    [Fact]
    public async Task Nodes_AnnounceTheirCommunity_AndFindEachOtherInItsSwarm()
    {
        var folderA = TestNode.MakeFolder(out var keyA, out var postsA, "garden");
        await using var a = await TestNode.StartAsync(folderA, keyA, bootstrap: []);
        var bootstrap = new[] { a.DhtEndPoint.ToString() };
        await using var b = await TestNode.StartAsync(TestNode.MakeFolder(out var keyB, out _, "garden"), keyB, bootstrap);
        await using var c = await TestNode.StartAsync(TestNode.MakeFolder(out var keyC, out _, "garden", "radio"), keyC, bootstrap);
        var garden = SwarmKeys.Community("garden");
        var nodes = new[] { a, b, c };

        foreach (var node in nodes)
        {
            var others = nodes.Where(n => n != node).Select(n => n.PeerEndPoint).ToList();
            await TestNode.WaitUntilAsync(
                () => others.All(o => node.Discovery.KnownPeers.Get(garden).Any(p => p.EndPoint.Equals(o))),
                $"{node.PeerEndPoint} never found the other nodes in the garden swarm: "
                + string.Join(", ", node.Discovery.KnownPeers.Get(garden).Select(p => p.EndPoint)));
            Assert.DoesNotContain(node.Discovery.KnownPeers.Get(garden), p => p.EndPoint.Equals(node.PeerEndPoint));
            Assert.All(node.Discovery.KnownPeers.Get(garden), p => Assert.Equal(PeerSource.Dht, p.Source));
        }

        // Only c carries radio: nobody else is in its swarm.
        Assert.Empty(c.Discovery.KnownPeers.Get(SwarmKeys.Community("radio")));

        // The post's own swarm: b looks it up as any BitTorrent client would, and finds a.
        var lookup = await b.Discovery.Dht!.LookupAsync(new Upseed.Dht.NodeId(postsA[0].Id.ToArray()));
        Assert.Contains(a.PeerEndPoint, lookup.Peers);

        // /healthz shows the DHT at work.
        using var http = new HttpClient();
        using var health = JsonDocument.Parse(await http.GetStringAsync(a.WebUrl + "/healthz"));
        var dht = health.RootElement.GetProperty("discovery").GetProperty("dht");
        Assert.True(dht.GetProperty("running").GetBoolean());
        Assert.Equal(a.DhtEndPoint.Port, dht.GetProperty("port").GetInt32());
        Assert.Equal(a.PeerEndPoint.Port, dht.GetProperty("port").GetInt32());
        Assert.True(dht.GetProperty("nodes").GetInt32() >= 2, health.RootElement.ToString());
        Assert.True(dht.GetProperty("announces").GetInt64() >= 1, health.RootElement.ToString());
        Assert.Equal(2, dht.GetProperty("swarmKeys").GetInt32());
        Assert.Equal(DiscoveryService.DefaultAnnouncesPerMinute, dht.GetProperty("announcesPerMinute").GetInt32());
        Assert.True(health.RootElement.GetProperty("discovery").GetProperty("knownPeers").GetInt32() >= 2);
        Assert.Equal(JsonValueKind.Null, health.RootElement.GetProperty("discovery").GetProperty("lsd").ValueKind);
    }

    [Fact]
    public async Task Node_PutsItsAuthorsFeedHead_AsABep46MutableItem()
    {
        await using var a = await TestNode.StartAsync(TestNode.MakeFolder(out var keyA, out _), keyA, bootstrap: []);
        var folderB = TestNode.MakeFolder(out var keyB, out var postsB, "garden");
        await using var b = await TestNode.StartAsync(folderB, keyB, [a.DhtEndPoint.ToString()]);

        await TestNode.WaitUntilAsync(() => a.Discovery.Dht!.StoredItemCount >= 1 && b.Discovery.FeedPutsStored >= 1, "the feed head was never stored");

        // A lookup never asks its own node: b reads back what a stores.
        var item = await b.Discovery.Dht!.GetMutableItemAsync(keyB.PublicKey, Encoding.ASCII.GetBytes(DiscoveryService.FeedSalt));
        Assert.NotNull(item);
        Assert.True(TorrentPointer.TryDecode(item.Value, out var head));
        Assert.Equal(postsB[0].Id.ToHex(), head.ToString());
        Assert.Equal(postsB[0].Created, item.Sequence);
    }

    [Fact]
    public async Task Node_SavesItsRoutingTableOnStop_AndRestoresItAndItsIdOnStart()
    {
        await using var a = await TestNode.StartAsync(TestNode.MakeFolder(out var keyA, out _), keyA, bootstrap: []);
        var folderB = TestNode.MakeFolder(out var keyB, out _, "garden");
        string id;
        int port;
        await using (var b = await TestNode.StartAsync(folderB, keyB, [a.DhtEndPoint.ToString()], deleteFolder: false))
        {
            await TestNode.WaitUntilAsync(() => b.Discovery.Status().Dht!.Nodes >= 1, "b never joined");
            id = b.Discovery.Dht!.Id.ToString();
            port = b.DhtEndPoint.Port;
        }

        var file = Path.Combine(folderB, DiscoveryService.RoutingTableFileName);
        Assert.True(File.Exists(file));
        Assert.True(DhtNodeState.TryLoad(file, out var state, out var error), error);
        Assert.Equal(id, state.Id.ToString());
        Assert.Contains(state.Nodes, n => n.EndPoint.Equals(a.DhtEndPoint));

        // Restarted with no bootstrap node at all, it rejoins through the saved table.
        await using var again = await TestNode.StartAsync(folderB, keyB, bootstrap: [], dhtPort: port);
        Assert.Equal(id, again.Discovery.Dht!.Id.ToString());
        await TestNode.WaitUntilAsync(() => again.Discovery.Status().Dht!.Nodes >= 1, "the restored node never rejoined");
    }
}
