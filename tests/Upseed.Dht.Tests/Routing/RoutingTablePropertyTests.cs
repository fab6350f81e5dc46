using System.Net;
using FsCheck;
using FsCheck.Fluent;
using Upseed.Dht.Routing;

namespace Upseed.Dht.Tests.Routing;

public class RoutingTablePropertyTests
{
    /// <summary>
    /// Any sequence of responses, queries, failures and clock steps over a small id pool (so ids repeat) keeps every
    /// node in exactly one place, in a bucket whose range holds it, with at most K per bucket.
    /// </summary>
    [Fact]
    public void AnyMessageSequence_KeepsEveryNodeOnce_InItsBucket()
    {
        var random = new Random(11);
        var own = NodeId.Random();
        var pool = Enumerable.Range(0, 64).Select(_ =>
        {
            var bytes = new byte[NodeId.Size];
            random.NextBytes(bytes);
            bytes[0] = (byte)((own.ToArray()[0] & 0xF0) | (bytes[0] & 0x0F)); // crowd near our id so buckets split
            return new NodeId(bytes);
        }).ToArray();

        var ops = Gen.ArrayOf(Gen.Choose(0, (pool.Length * 4) - 1));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(200), Prop.ForAll(ops.ToArbitrary(), sequence =>
        {
            var clock = new ManualTimeProvider();
            var table = new RoutingTable(own, clock);
            foreach (var op in sequence)
            {
                var index = op % pool.Length;
                var endPoint = new IPEndPoint(new IPAddress([10, 0, 0, (byte)index]), 6881);
                switch (op / pool.Length)
                {
                    case 0:
                        table.Failed(pool[index]);
                        break;
                    case 1:
                        clock.Advance(TimeSpan.FromMinutes(index % 20));
                        break;
                    default:
                        table.Seen(pool[index], endPoint, isResponse: op / pool.Length == 2);
                        break;
                }
            }

            var all = table.Buckets.SelectMany(b => b.Nodes.Concat(b.Replacements).Select(n => (b, n))).ToList();
            return all.Select(x => x.n.Id).Distinct().Count() == all.Count
                && all.TrueForAll(x => x.b.Contains(x.n.Id))
                && table.Buckets.All(b => b.Nodes.Count <= table.Options.BucketSize)
                && table.Buckets.Count <= RoutingTable.MaxBuckets;
        }));
    }
}
