using System.Diagnostics;
using Upseed.Metainfo;
using Xunit.Abstractions;

namespace Upseed.Sync.Tests;

/// <summary>
/// Reconciliation cost at 100,000 items a side (README Performance). Run:
/// <c>dotnet test tests/Upseed.Sync.Tests -c Release --filter Category=Benchmark --logger "console;verbosity=detailed"</c>.
/// </summary>
[Trait("Category", "Benchmark")]
public sealed class ReconcileBenchmarks(ITestOutputHelper output)
{
    [Theory]
    [InlineData(100_000, 1000, 1000)] // each side holds 1% the other lacks
    [InlineData(100_000, 500, 500)] // 1% of the union differs, split evenly
    [InlineData(100_000, 1000, 0)]
    [InlineData(100_000, 50, 50)]
    [InlineData(100_000, 0, 0)]
    public void Reconcile_100k(int perSide, int onlyA, int onlyB)
    {
        var random = new Random(42);
        var (a, b) = ReconcilerTests.MakeSets(random, perSide - onlyA, onlyA, onlyB, timeSpan: 365 * 86400);
        ReconcileHarness.Run(a, b); // warm-up
        var watch = Stopwatch.StartNew();
        var result = ReconcileHarness.Run(a, b);
        watch.Stop();
        var allIds = (long)perSide * InfoHash.Size;
        output.WriteLine(
            $"{perSide:N0} items a side, {onlyA:N0} only on A, {onlyB:N0} only on B: {result.Bytes:N0} B in {result.Messages} messages " +
            $"({result.Rounds} round trips, largest {result.Largest:N0} B), {100.0 * result.Bytes / allIds:0.00}% of sending all ids ({allIds:N0} B), " +
            $"{watch.Elapsed.TotalMilliseconds:0} ms (both sides, one thread, sets built with their hashes included)");
        Assert.Equal(onlyA, result.SentByA.Count);
        Assert.Equal(onlyB, result.SentByB.Count);
    }
}
