using System.Diagnostics;
using System.Globalization;

namespace Upseed.Torrent.Tests;

/// <summary>
/// Runs a seeded fuzzer in shards of fixed size (seed + shard each, so results do not depend on the core count), off the
/// test thread so a decoder that never returns shows up as a timeout. Long runs read UPSEED_FUZZ_ITERATIONS and
/// UPSEED_FUZZ_SEED.
/// </summary>
internal static class FuzzRun
{
    private const int InputsPerShard = 25_000;

    public static async Task<(TStats Stats, TimeSpan Elapsed)> RunAsync<TStats>(
        int seed,
        int iterations,
        TimeSpan timeout,
        Func<int, int, TStats> runShard,
        Func<IEnumerable<TStats>, TStats> combine)
    {
        var shards = (iterations + InputsPerShard - 1) / InputsPerShard;
        var results = new TStats[shards];
        var stopwatch = Stopwatch.StartNew();
        var run = Task.Run(() => Parallel.For(0, shards, shard =>
            results[shard] = runShard(seed + shard, Math.Min(InputsPerShard, iterations - (shard * InputsPerShard)))));
        await run.WaitAsync(timeout);
        return (combine(results), stopwatch.Elapsed);
    }

    public static int ReadEnvironment(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : fallback;
}
