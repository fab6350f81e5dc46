using System.Net;
using Upseed.Dht.Routing;

namespace Upseed.Dht.Tests.Routing;

public class RoutingTableTests
{
    private static readonly TimeSpan s_fifteenMinutes = TimeSpan.FromMinutes(15);

    private static NodeId RandomId(Random random)
    {
        var bytes = new byte[NodeId.Size];
        random.NextBytes(bytes);
        return new NodeId(bytes);
    }

    /// <summary>An id sharing exactly <paramref name="prefix"/> leading bits with <paramref name="own"/>.</summary>
    private static NodeId IdAtPrefix(NodeId own, int prefix, Random random)
    {
        var bytes = RandomId(random).ToArray();
        var ownBytes = own.ToArray();
        for (var bit = 0; bit <= prefix; bit++)
        {
            var mask = (byte)(0x80 >> (bit & 7));
            var ownBit = ownBytes[bit >> 3] & mask;
            var value = bit == prefix ? ownBit ^ mask : ownBit;
            bytes[bit >> 3] = (byte)((bytes[bit >> 3] & ~mask) | value);
        }

        var id = new NodeId(bytes);
        Assert.Equal(prefix, own.CommonPrefixLength(id));
        return id;
    }

    private static IPEndPoint EndPoint(int i) => new(new IPAddress([10, (byte)(i >> 16), (byte)(i >> 8), (byte)i]), 6881);

    private static void AssertInvariants(RoutingTable table)
    {
        Assert.InRange(table.Buckets.Count, 1, RoutingTable.MaxBuckets);
        var seen = new HashSet<NodeId>();
        for (var i = 0; i < table.Buckets.Count; i++)
        {
            var bucket = table.Buckets[i];
            Assert.InRange(bucket.Nodes.Count, 0, table.Options.BucketSize);
            Assert.Equal(i == table.Buckets.Count - 1, bucket.ContainsOwnId);
            Assert.Equal(bucket.ContainsOwnId, bucket.Contains(table.OwnId));
            foreach (var node in bucket.Nodes.Concat(bucket.Replacements))
            {
                Assert.True(bucket.Contains(node.Id));
                Assert.True(seen.Add(node.Id), $"{node.Id} appears twice");
            }
        }
    }

    [Fact]
    public void ManyRandomIds_BucketsStayWithinK_AndOnlyTheOwnIdBucketSplits()
    {
        var random = new Random(1);
        var own = RandomId(random);
        var table = new RoutingTable(own, new ManualTimeProvider());

        for (var i = 0; i < 5000; i++)
        {
            table.Seen(RandomId(random), EndPoint(i), isResponse: true);
        }

        AssertInvariants(table);

        // Each bucket but the last covers exactly the ids sharing i bits with ours: far halves never split.
        for (var i = 0; i < table.Buckets.Count - 1; i++)
        {
            Assert.Equal(i + 1, table.Buckets[i].PrefixLength);
            Assert.False(table.Buckets[i].Contains(own));
        }

        // 5000 random ids fill about log2(5000/8) ≈ 9 buckets.
        Assert.InRange(table.Buckets.Count, 6, 14);
        Assert.Equal(8, table.Buckets[0].Nodes.Count);
    }

    [Theory]
    [InlineData(8, false)]
    [InlineData(8, true)]
    [InlineData(1, false)]
    public void IdsAtEveryDistance_TableNeverExceeds160Buckets(int bucketSize, bool nearestFirst)
    {
        var random = new Random(2);
        var own = RandomId(random);
        var table = new RoutingTable(own, new ManualTimeProvider(), new RoutingTableOptions { BucketSize = bucketSize });
        var n = 0;

        for (var step = 0; step < 160; step++)
        {
            var prefix = nearestFirst ? 159 - step : step;
            for (var j = 0; j < 10; j++)
            {
                table.Seen(IdAtPrefix(own, prefix, random), EndPoint(n++), isResponse: true);
            }
        }

        AssertInvariants(table);

        // The own-id bucket of prefix L holds 2^(160-L) - 1 ids, so it can only overflow (and split) while
        // that exceeds K: with K = 1 the table reaches exactly 160 buckets, with K = 8 it stops at 158.
        Assert.Equal(bucketSize == 1 ? RoutingTable.MaxBuckets : 158, table.Buckets.Count);
    }

    [Fact]
    public void FullFarBucketOfGoodNodes_DropsNewcomer()
    {
        var random = new Random(3);
        var own = RandomId(random);
        var table = new RoutingTable(own, new ManualTimeProvider());
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(InsertOutcome.Added, table.Seen(IdAtPrefix(own, 0, random), EndPoint(i), isResponse: true).Outcome);
        }

        // Splitting made room near us; the far half (prefix 0) is full of good nodes.
        table.Seen(IdAtPrefix(own, 5, random), EndPoint(100), isResponse: true);
        var result = table.Seen(IdAtPrefix(own, 0, random), EndPoint(101), isResponse: true);

        Assert.Equal(InsertOutcome.Dropped, result.Outcome);
        Assert.Equal(8, table.Buckets[0].Nodes.Count);
        AssertInvariants(table);
    }

    [Fact]
    public void Closest_MatchesBruteForceOverAllGoodNodes()
    {
        var random = new Random(4);
        var clock = new ManualTimeProvider();
        var own = RandomId(random);
        var table = new RoutingTable(own, clock);
        for (var i = 0; i < 3000; i++)
        {
            // A third only query us (never responded): questionable, so Closest must skip them.
            table.Seen(RandomId(random), EndPoint(i), isResponse: i % 3 != 0);
        }

        var good = table.Buckets.SelectMany(b => b.Nodes)
            .Where(n => n.GetState(clock.GetUtcNow(), table.Options) == NodeState.Good)
            .ToList();
        Assert.NotEmpty(good);

        for (var t = 0; t < 200; t++)
        {
            var target = t == 0 ? own : RandomId(random);
            var expected = good.OrderBy(n => n.Id.Xor(target)).Take(8).Select(n => n.Id).ToList();
            var actual = table.Closest(target, 8).Select(n => n.Id).ToList();
            Assert.Equal(expected, actual);
        }

        Assert.Empty(table.Closest(own, 0));
    }

    [Fact]
    public void Node_GoodUntilFifteenMinutesOfSilence_ThenQuestionable()
    {
        var clock = new ManualTimeProvider();
        var table = new RoutingTable(NodeId.Random(), clock);
        var id = NodeId.Random();
        table.Seen(id, EndPoint(1), isResponse: true);
        Assert.True(table.TryGetNode(id, out var node));

        clock.Advance(s_fifteenMinutes - TimeSpan.FromSeconds(1));
        Assert.Equal(NodeState.Good, node.GetState(clock.GetUtcNow(), table.Options));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(NodeState.Questionable, node.GetState(clock.GetUtcNow(), table.Options));

        // BEP 5: ever responded + queried us within 15 minutes = good again.
        table.Seen(id, EndPoint(1), isResponse: false);
        Assert.Equal(NodeState.Good, node.GetState(clock.GetUtcNow(), table.Options));
        Assert.Equal(new RoutingTableCounts(1, 1, 0, 0, 1, 0), table.GetCounts());
    }

    [Fact]
    public void NodeThatOnlyQueriesUs_IsQuestionable()
    {
        var clock = new ManualTimeProvider();
        var table = new RoutingTable(NodeId.Random(), clock);
        var id = NodeId.Random();
        table.Seen(id, EndPoint(1), isResponse: false);

        Assert.True(table.TryGetNode(id, out var node));
        Assert.Equal(NodeState.Questionable, node.GetState(clock.GetUtcNow(), table.Options));
        Assert.Empty(table.Closest(id, 8));
    }

    [Fact]
    public void ThreeFailuresInARow_MakeANodeBad_AndANewcomerReplacesIt()
    {
        var random = new Random(5);
        var clock = new ManualTimeProvider();
        var own = RandomId(random);
        var table = new RoutingTable(own, clock);
        var far = Enumerable.Range(0, 8).Select(_ => IdAtPrefix(own, 0, random)).ToList();
        for (var i = 0; i < far.Count; i++)
        {
            table.Seen(far[i], EndPoint(i), isResponse: true);
        }

        table.Seen(IdAtPrefix(own, 3, random), EndPoint(50), isResponse: true); // split so the far bucket is final

        Assert.Equal(InsertOutcome.Updated, table.Failed(far[2]).Outcome);
        Assert.Equal(InsertOutcome.Updated, table.Failed(far[2]).Outcome);
        Assert.True(table.TryGetNode(far[2], out var node));
        Assert.Equal(NodeState.Good, node.GetState(clock.GetUtcNow(), table.Options)); // two misses are not "several"
        table.Failed(far[2]);
        Assert.Equal(NodeState.Bad, node.GetState(clock.GetUtcNow(), table.Options));
        Assert.Equal(1, table.GetCounts().Bad);

        var newcomer = IdAtPrefix(own, 0, random);
        var result = table.Seen(newcomer, EndPoint(99), isResponse: true);

        Assert.Equal(InsertOutcome.Replaced, result.Outcome);
        Assert.False(table.TryGetNode(far[2], out _));
        Assert.True(table.TryGetNode(newcomer, out _));
        AssertInvariants(table);
    }

    [Fact]
    public void ResponseResetsTheFailureCount()
    {
        var table = new RoutingTable(NodeId.Random(), new ManualTimeProvider());
        var id = NodeId.Random();
        table.Seen(id, EndPoint(1), isResponse: true);
        table.Failed(id);
        table.Failed(id);
        table.Seen(id, EndPoint(1), isResponse: true);
        table.Failed(id);

        Assert.True(table.TryGetNode(id, out var node));
        Assert.Equal(1, node.ConsecutiveFailures);
        Assert.Equal(InsertOutcome.Ignored, table.Failed(NodeId.Random()).Outcome);
    }

    [Fact]
    public void FullBucketWithQuestionableNodes_AsksToPingTheLeastRecentlySeen_ThenPromotesTheNewcomer()
    {
        var random = new Random(6);
        var clock = new ManualTimeProvider();
        var own = RandomId(random);
        var table = new RoutingTable(own, clock);
        var far = new List<NodeId>();
        for (var i = 0; i < 8; i++)
        {
            far.Add(IdAtPrefix(own, 0, random));
            table.Seen(far[i], EndPoint(i), isResponse: true);
            clock.Advance(TimeSpan.FromSeconds(10));
        }

        table.Seen(IdAtPrefix(own, 3, random), EndPoint(50), isResponse: true);
        clock.Advance(s_fifteenMinutes);

        // All eight far nodes are questionable now; far[0] was seen longest ago.
        var newcomer = IdAtPrefix(own, 0, random);
        var result = table.Seen(newcomer, EndPoint(99), isResponse: true);
        Assert.Equal(InsertOutcome.PingFirst, result.Outcome);
        Assert.Equal(far[0], result.Node!.Id);
        Assert.False(table.TryGetNode(newcomer, out _));
        Assert.Contains(table.Buckets[0].Replacements, n => n.Id == newcomer);

        // far[0] answers: it is good again, and BEP 5 says ping the next least recently seen questionable node.
        var next = table.Seen(far[0], EndPoint(0), isResponse: true);
        Assert.Equal(InsertOutcome.PingFirst, next.Outcome);
        Assert.Equal(far[1], next.Node!.Id);

        // far[1] stays silent three times: it is bad and the waiting newcomer takes its slot.
        table.Failed(far[1]);
        table.Failed(far[1]);
        var replaced = table.Failed(far[1]);
        Assert.Equal(InsertOutcome.Replaced, replaced.Outcome);
        Assert.Equal(newcomer, replaced.Node!.Id);
        Assert.True(table.TryGetNode(newcomer, out _));
        Assert.False(table.TryGetNode(far[1], out _));
        Assert.Empty(table.Buckets[0].Replacements);
        AssertInvariants(table);
    }

    [Fact]
    public void BucketsNeedingRefresh_AfterFifteenMinutesUnchanged_WithATargetInRange()
    {
        var random = new Random(7);
        var clock = new ManualTimeProvider();
        var own = RandomId(random);
        var table = new RoutingTable(own, clock);
        for (var i = 0; i < 200; i++)
        {
            table.Seen(RandomId(random), EndPoint(i), isResponse: true);
        }

        Assert.Empty(table.BucketsNeedingRefresh(clock.GetUtcNow()));
        clock.Advance(s_fifteenMinutes);

        var stale = table.BucketsNeedingRefresh(clock.GetUtcNow());
        Assert.Equal(table.Buckets.Count, stale.Count);
        foreach (var refresh in stale)
        {
            Assert.True(refresh.Bucket.Contains(refresh.Target));
        }

        // A response in the first bucket marks it changed.
        var first = table.Buckets[0].Nodes[0];
        table.Seen(first.Id, first.EndPoint, isResponse: true);
        Assert.DoesNotContain(table.BucketsNeedingRefresh(clock.GetUtcNow()), r => r.Bucket == table.Buckets[0]);
    }

    [Fact]
    public void ReadOnlyOwnIdAndPortZero_AreNeverInserted()
    {
        var own = NodeId.Random();
        var table = new RoutingTable(own, new ManualTimeProvider());

        Assert.Equal(InsertOutcome.Ignored, table.Seen(NodeId.Random(), EndPoint(1), isResponse: true, readOnly: true).Outcome);
        Assert.Equal(InsertOutcome.Ignored, table.Seen(own, EndPoint(2), isResponse: true).Outcome);
        Assert.Equal(InsertOutcome.Ignored, table.Seen(NodeId.Random(), new IPEndPoint(IPAddress.Loopback, 0), isResponse: true).Outcome);
        Assert.Equal(0, table.GetCounts().Nodes);
    }

    [Fact]
    public void KnownIdFromAnotherAddress_IsIgnored()
    {
        var table = new RoutingTable(NodeId.Random(), new ManualTimeProvider());
        var id = NodeId.Random();
        table.Seen(id, EndPoint(1), isResponse: true);

        Assert.Equal(InsertOutcome.Ignored, table.Seen(id, EndPoint(2), isResponse: true).Outcome);
        Assert.True(table.TryGetNode(id, out var node));
        Assert.Equal(EndPoint(1), node.EndPoint);
    }

    [Fact]
    public void RandomMessageSequences_NeverHoldANodeTwice()
    {
        var random = new Random(8);
        var clock = new ManualTimeProvider();
        var own = RandomId(random);
        var table = new RoutingTable(own, clock);
        var ids = Enumerable.Range(0, 400).Select(_ => RandomId(random)).ToList();

        for (var step = 0; step < 20_000; step++)
        {
            var i = random.Next(ids.Count);
            switch (random.Next(4))
            {
                case 0:
                    table.Failed(ids[i]);
                    break;
                case 1:
                    clock.Advance(TimeSpan.FromSeconds(random.Next(120)));
                    break;
                default:
                    table.Seen(ids[i], EndPoint(i), isResponse: random.Next(2) == 0);
                    break;
            }

            if (step % 1000 == 0)
            {
                AssertInvariants(table);
            }
        }

        AssertInvariants(table);
    }
}
