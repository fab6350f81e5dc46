using FsCheck;
using FsCheck.Fluent;
using Upseed.Sync.Reconciliation;

namespace Upseed.Sync.Tests;

public sealed class ReconcilerTests
{
    [Theory]
    [InlineData(0, 0, 0, 1)]
    [InlineData(0, 10, 0, 2)]
    [InlineData(0, 0, 10, 3)]
    [InlineData(1000, 0, 0, 4)] // equal sets: one round trip
    [InlineData(1000, 1, 0, 5)] // a single difference is decoded from the summaries
    [InlineData(1000, 0, 1, 6)]
    [InlineData(1000, 30, 30, 7)]
    [InlineData(0, 500, 700, 8)] // all different
    [InlineData(5000, 2000, 0, 9)] // one side a superset
    [InlineData(20000, 200, 200, 10)]
    public void Reconcile_RandomSets_ConvergeToUnion(int shared, int onlyA, int onlyB, int seed)
    {
        var random = new Random(seed);
        var (a, b) = MakeSets(random, shared, onlyA, onlyB, timeSpan: 30 * 86400);
        AssertConverges(a, b);
    }

    [Fact]
    public void Reconcile_EqualTimestamps_ConvergeToUnion()
    {
        // Everything at one second: bounds must separate items by id prefix alone.
        var random = new Random(11);
        var (a, b) = MakeSets(random, 3000, 40, 25, timeSpan: 1);
        AssertConverges(a, b);
    }

    [Fact]
    public void Reconcile_SharedIdPrefixes_ConvergeToUnion()
    {
        // Ids that agree on their first bytes need long bound prefixes.
        var random = new Random(12);
        var all = new List<SyncItem>();
        for (var i = 0; i < 600; i++)
        {
            var bytes = new byte[20];
            random.NextBytes(bytes.AsSpan(15));
            all.Add(new SyncItem(7, new Upseed.Metainfo.InfoHash(bytes)));
        }

        var items = ReconcileHarness.Sorted(all);
        var a = items.Where((_, i) => i % 3 != 0).ToArray();
        var b = items.Where((_, i) => i % 5 != 0).ToArray();
        AssertConverges(a, b);
    }

    [Fact]
    public void Reconcile_SmallFrameLimit_StillConverges()
    {
        var random = new Random(13);
        var (a, b) = MakeSets(random, 20000, 1500, 1500, timeSpan: 86400);
        var options = new ReconcileOptions { FrameSizeLimit = ReconcileOptions.MinFrameSizeLimit };
        var result = AssertConverges(a, b, options);
        Assert.True(result.Largest <= ReconcileOptions.MinFrameSizeLimit, $"largest message {result.Largest} B");
    }

    [Fact]
    public void Reconcile_RandomSetsProperty_ConvergeToUnion()
    {
        var gen =
            from shared in Gen.Choose(0, 400)
            from onlyA in Gen.Choose(0, 60)
            from onlyB in Gen.Choose(0, 60)
            from span in Gen.Elements(1, 10, 1000, 1_000_000)
            from seed in Gen.Choose(0, int.MaxValue)
            select (shared, onlyA, onlyB, span, seed);
        Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var (a, b) = MakeSets(new Random(t.seed), t.shared, t.onlyA, t.onlyB, t.span);
            AssertConverges(a, b, new ReconcileOptions { HashListThreshold = t.seed % 6, InitialBuckets = 2 + (t.seed % 20) });
        }).QuickCheckThrowOnFailure();
    }

    internal static (SyncItem[] A, SyncItem[] B) MakeSets(Random random, int shared, int onlyA, int onlyB, int timeSpan)
    {
        var start = 1_700_000_000UL;
        SyncItem Next() => new(start + (ulong)random.Next(timeSpan), ReconcileHarness.RandomId(random));
        var common = Enumerable.Range(0, shared).Select(_ => Next()).ToList();
        var a = common.Concat(Enumerable.Range(0, onlyA).Select(_ => Next()));
        var b = common.Concat(Enumerable.Range(0, onlyB).Select(_ => Next()));
        return (ReconcileHarness.Sorted(a), ReconcileHarness.Sorted(b));
    }

    private static ReconcileHarness.Result AssertConverges(SyncItem[] a, SyncItem[] b, ReconcileOptions? options = null)
    {
        var result = ReconcileHarness.Run(a, b, options);
        var setA = a.ToHashSet();
        var setB = b.ToHashSet();
        var expectedFromA = setA.Except(setB).ToHashSet();
        var expectedFromB = setB.Except(setA).ToHashSet();
        Assert.True(expectedFromA.SetEquals(result.SentByA), $"A should send {expectedFromA.Count}, sent {result.SentByA.Count}");
        Assert.True(expectedFromB.SetEquals(result.SentByB), $"B should send {expectedFromB.Count}, sent {result.SentByB.Count}");
        return result;
    }
}
