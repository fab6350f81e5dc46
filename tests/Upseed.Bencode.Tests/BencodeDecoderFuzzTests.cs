using System.Diagnostics;
using System.Globalization;
using Xunit.Abstractions;

namespace Upseed.Bencode.Tests;

/// <summary>
/// Fuzzes the decoder with <see cref="BencodeFuzzer"/>. The default run is short and fixed; the LongFuzz run reads
/// UPSEED_FUZZ_ITERATIONS (default 1,000,000) and UPSEED_FUZZ_SEED, and is left out of the default suite by its trait
/// (tools/test filters Category!=LongFuzz): <c>dotnet test tests/Upseed.Bencode.Tests --filter Category=LongFuzz</c>.
/// </summary>
public class BencodeDecoderFuzzTests(ITestOutputHelper output)
{
    private const int DefaultSeed = 20_26_11_22;

    // Runs of this many inputs each get their own seed (seed + shard), so results do not depend on the core count.
    private const int InputsPerShard = 25_000;

    [Fact]
    public async Task Decode_RandomAndMutatedInput_RoundTripsOrThrowsBencodeException()
    {
        var stats = await RunAsync(DefaultSeed, iterations: 60_000, timeout: TimeSpan.FromSeconds(60));

        // The run must reach both outcomes and every rejection reason, or it is not testing much.
        Assert.True(stats.AcceptedCount > 1_000, stats.ToString());
        Assert.Equal(Enum.GetValues<BencodeError>().Order(), stats.Rejections.Keys.Order());
    }

    [Fact]
    [Trait("Category", "LongFuzz")]
    public async Task Decode_LongFuzz_RoundTripsOrThrowsBencodeException()
    {
        var iterations = ReadEnvironment("UPSEED_FUZZ_ITERATIONS", 1_000_000);
        var seed = ReadEnvironment("UPSEED_FUZZ_SEED", DefaultSeed + 1);

        // Generous: a hang, not a slow machine, should be what trips it.
        var stats = await RunAsync(seed, iterations, TimeSpan.FromSeconds(120 + (iterations / 1_000)));

        Assert.True(stats.AcceptedCount > 0, stats.ToString());
    }

    [Fact]
    public void Check_CanonicalAndNonCanonicalInput_ReportsWhichTheDecoderAccepted()
    {
        // Accepted inputs feed the corpus, so the oracle must tell the two apart.
        Assert.False(BencodeFuzzer.Check("i03e"u8.ToArray(), BencodeOptions.Default));
        Assert.True(BencodeFuzzer.Check("i3e"u8.ToArray(), BencodeOptions.Default));
    }

    private async Task<FuzzStats> RunAsync(int seed, int iterations, TimeSpan timeout)
    {
        var shards = (iterations + InputsPerShard - 1) / InputsPerShard;
        var results = new FuzzStats[shards];
        var stopwatch = Stopwatch.StartNew();

        // Off the test thread so a decoder that never returns shows up as a timeout, not a stuck run.
        var run = Task.Run(() => Parallel.For(0, shards, shard =>
        {
            var fuzzer = new BencodeFuzzer(seed + shard);
            fuzzer.Run(Math.Min(InputsPerShard, iterations - (shard * InputsPerShard)));
            results[shard] = fuzzer.Stats;
        }));
        await run.WaitAsync(timeout);

        var total = new FuzzStats();
        foreach (var result in results)
        {
            total.Add(result);
        }

        output.WriteLine($"{iterations} inputs, seed {seed}, {stopwatch.Elapsed.TotalSeconds:F1} s: {total}");
        return total;
    }

    private static int ReadEnvironment(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : fallback;
}
