using System.Net;
using Upseed.Dht.Items;
using Upseed.Dht.Node;
using Upseed.Dht.Tests.Routing;
using Xunit.Abstractions;

namespace Upseed.Dht.Tests.Node;

/// <summary>Memory per stored BEP 44 item and per routing-table node, measured as the GC heap delta over many.</summary>
public sealed class DhtMemoryBenchmarks(ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Benchmark")]
    public void MemoryPerStoredItem()
    {
        const int Count = 100_000;
        var now = DateTimeOffset.UnixEpoch;
        var key = new byte[32];
        var signature = new byte[64];
        var pointer = TorrentPointer.Encode(NodeId.Random()); // a BEP 46 feed head: 31 bytes
        var text = DhtValue.FromString(new string('x', 200)); // a 204-byte value
        foreach (var (name, mutable, value) in new[] { ("mutable BEP 46 pointer", true, pointer), ("mutable 200-byte text", true, text), ("immutable 200-byte text", false, text) })
        {
            var before = GC.GetTotalMemory(forceFullCollection: true);
            var store = new ItemStore(NodeId.Random(), Count, TimeSpan.FromHours(2));
            for (var i = 0; i < Count; i++)
            {
                var target = NodeId.Random();
                _ = mutable ? store.PutMutable(target, key, signature, 1, value, null, now) : store.PutImmutable(target, value, now);
            }

            var after = GC.GetTotalMemory(forceFullCollection: true);
            var perItem = (after - before) / (double)Count;
            output.WriteLine($"{name} (v {value.Length} B): {perItem:F0} bytes per stored item ({Count} items)");
            Assert.Equal(Count, store.Count);
            GC.KeepAlive(store);
        }
    }

    [Fact]
    [Trait("Category", "Benchmark")]
    public void MemoryPerRoutingTableNode()
    {
        const int Tables = 200;
        var clock = new ManualTimeProvider();
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var tables = new List<Upseed.Dht.Routing.RoutingTable>();
        var nodes = 0;
        for (var t = 0; t < Tables; t++)
        {
            var own = NodeId.Random();
            var table = new Upseed.Dht.Routing.RoutingTable(own, clock);

            // Ids that share 0..19 leading bits with ours fill the 20 farthest buckets, 8 nodes each, as a real table.
            var ownBytes = own.ToArray();
            for (var bit = 0; bit < 20; bit++)
            {
                for (var k = 0; k < 8; k++)
                {
                    var id = NodeId.Random().ToArray();
                    for (var b = 0; b < bit; b++)
                    {
                        SetBit(id, b, GetBit(ownBytes, b));
                    }

                    SetBit(id, bit, !GetBit(ownBytes, bit));
                    var endPoint = new IPEndPoint(new IPAddress([(byte)(t + 1), (byte)bit, (byte)k, 1]), 6881);
                    if (table.Seen(new NodeId(id), endPoint, isResponse: true).Outcome == Upseed.Dht.Routing.InsertOutcome.Added)
                    {
                        nodes++;
                    }
                }
            }

            tables.Add(table);
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        output.WriteLine($"{(after - before) / (double)nodes:F0} bytes per routing-table node ({nodes} nodes in {Tables} tables, incl. bucket overhead)");
        GC.KeepAlive(tables);
    }

    private static bool GetBit(byte[] id, int bit) => (id[bit / 8] & (0x80 >> (bit % 8))) != 0;

    private static void SetBit(byte[] id, int bit, bool value)
    {
        if (value)
        {
            id[bit / 8] |= (byte)(0x80 >> (bit % 8));
        }
        else
        {
            id[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }
    }
}
