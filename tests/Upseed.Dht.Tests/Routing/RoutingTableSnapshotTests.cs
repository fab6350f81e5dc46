using System.Net;
using System.Text;
using Upseed.Dht.Routing;

namespace Upseed.Dht.Tests.Routing;

public class RoutingTableSnapshotTests
{
    [Fact]
    public void SaveThenLoad_RoundTripsIdAndIPv4AndIPv6Nodes()
    {
        var clock = new ManualTimeProvider();
        var own = NodeId.Random();
        var table = new RoutingTable(own, clock);
        var random = new Random(9);
        for (var i = 0; i < 300; i++)
        {
            var bytes = new byte[NodeId.Size];
            random.NextBytes(bytes);
            var endPoint = i % 2 == 0
                ? new IPEndPoint(new IPAddress([192, 0, 2, (byte)i]), 1000 + i)
                : new IPEndPoint(IPAddress.Parse($"2001:db8::{i:x}"), 2000 + i);
            table.Seen(new NodeId(bytes), endPoint, isResponse: true);
        }

        var saved = table.ToSnapshot();
        using var stream = new MemoryStream();
        saved.Save(stream);
        stream.Position = 0;
        var loaded = RoutingTableSnapshot.Load(stream);

        Assert.Null(loaded.Error);
        Assert.True(loaded.TryGetOwnId(out var loadedId));
        Assert.Equal(own, loadedId);
        Assert.Equal(saved.Nodes.OrderBy(n => n.Id), loaded.Nodes.OrderBy(n => n.Id));

        var restored = new RoutingTable(own, clock);
        Assert.Equal(saved.Nodes.Count, restored.Restore(loaded));
        Assert.Equal(table.GetCounts().Nodes, restored.GetCounts().Nodes);

        // Restored nodes have not answered in this run.
        Assert.Equal(0, restored.GetCounts().Good);
    }

    [Fact]
    public void EmptyTable_RoundTrips()
    {
        var own = NodeId.Random();
        using var stream = new MemoryStream();
        new RoutingTable(own, new ManualTimeProvider()).ToSnapshot().Save(stream);
        stream.Position = 0;

        var loaded = RoutingTableSnapshot.Load(stream);

        Assert.Null(loaded.Error);
        Assert.Empty(loaded.Nodes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("le")]
    [InlineData("d2:id3:abce")]
    [InlineData("d2:id20:aaaaaaaaaaaaaaaaaaaa5:nodes3:abce")]
    [InlineData("d2:id20:aaaaaaaaaaaaaaaaaaaa5:nodesi1ee")]
    [InlineData("d5:nodes0:2:id20:aaaaaaaaaaaaaaaaaaaae")]
    [InlineData("d2:id20:aaaaaaaaaaaaaaaaaaaa5:nodes0:")]
    public void CorruptFile_LoadsEmptyWithAReason(string content)
    {
        using var stream = new MemoryStream(Encoding.ASCII.GetBytes(content));

        var loaded = RoutingTableSnapshot.Load(stream);

        Assert.NotNull(loaded.Error);
        Assert.Empty(loaded.Nodes);
        Assert.False(loaded.TryGetOwnId(out _));
        Assert.Throws<InvalidOperationException>(() => loaded.Save(Stream.Null));
    }

    [Fact]
    public void RandomBytes_NeverThrow()
    {
        var random = new Random(10);
        var good = new MemoryStream();
        new RoutingTableSnapshot(NodeId.Random(), [new NodeContact(NodeId.Random(), new IPEndPoint(IPAddress.Loopback, 6881))]).Save(good);
        var valid = good.ToArray();

        for (var i = 0; i < 2000; i++)
        {
            var bytes = (byte[])valid.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            var truncated = bytes.AsSpan(0, random.Next(bytes.Length + 1)).ToArray();
            _ = RoutingTableSnapshot.Load(new MemoryStream(bytes));
            _ = RoutingTableSnapshot.Load(new MemoryStream(truncated));
        }
    }

    [Fact]
    public void OversizedFile_LoadsEmptyWithAReason()
    {
        using var stream = new MemoryStream(new byte[RoutingTableSnapshot.MaxFileSize + 1]);

        var loaded = RoutingTableSnapshot.Load(stream);

        Assert.NotNull(loaded.Error);
        Assert.Empty(loaded.Nodes);
    }
}
