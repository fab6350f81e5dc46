using Xunit.Abstractions;

namespace Upseed.Torrent.Tests.Extensions;

/// <summary>
/// Fuzzes the extension decoders with <see cref="ExtensionFuzzer"/>. The default run is short and fixed; the LongFuzz
/// run reads UPSEED_FUZZ_ITERATIONS (default 1,000,000) and UPSEED_FUZZ_SEED:
/// <c>dotnet test tests/Upseed.Torrent.Tests --filter Category=LongFuzz</c>.
/// </summary>
public class ExtensionFuzzTests(ITestOutputHelper output)
{
    private const int DefaultSeed = 20_26_11_24;

    [Fact]
    public async Task TryDecode_RandomAndMutatedPayloads_KeepTheOracle()
    {
        var (stats, elapsed) = await FuzzRun.RunAsync(DefaultSeed, 20_000, TimeSpan.FromSeconds(30), Shard, FuzzStats.Combine);
        output.WriteLine($"{elapsed.TotalSeconds:F2} s: {stats}");

        // Every decoder must both accept and refuse a good share, and ut_metadata must see each type.
        Assert.True(stats.Accepts.GetValueOrDefault("handshake") > 1_000, stats.ToString());
        Assert.True(stats.Accepts.GetValueOrDefault("ut_pex with peers") > 100, stats.ToString());
        Assert.All(["Request", "Data", "Reject"], type => Assert.True(stats.Accepts.GetValueOrDefault("ut_metadata " + type) > 50, stats.ToString()));
        Assert.Contains("ut_metadata: unknown msg_type", stats.Rejections.Keys);
        Assert.Contains("handshake: dictionary has a duplicate key", stats.Rejections.Keys);
    }

    [Fact]
    [Trait("Category", "LongFuzz")]
    public async Task TryDecode_LongFuzz_KeepTheOracle()
    {
        var iterations = FuzzRun.ReadEnvironment("UPSEED_FUZZ_ITERATIONS", 1_000_000);
        var seed = FuzzRun.ReadEnvironment("UPSEED_FUZZ_SEED", DefaultSeed + 1);

        var (stats, elapsed) = await FuzzRun.RunAsync(seed, iterations, TimeSpan.FromSeconds(120 + (iterations / 1_000)), Shard, FuzzStats.Combine);
        output.WriteLine($"{iterations} inputs, seed {seed}, {elapsed.TotalSeconds:F1} s: {stats}");

        Assert.True(stats.AcceptedCount > 0);
    }

    [Theory]
    [InlineData("")]
    [InlineData("64653a")] // "de:"
    [InlineData("6431386d")] // "d18m"
    [InlineData("64383a6d73675f7479706569316535")] // "d8:msg_typei1e5" (truncated)
    public void Check_HandPickedPayloads_HoldTheOracle(string hex)
    {
        ExtensionFuzzer.Check(Convert.FromHexString(hex));
    }

    private static FuzzStats Shard(int seed, int iterations)
    {
        var fuzzer = new ExtensionFuzzer(seed);
        fuzzer.Run(iterations);
        return fuzzer.Stats;
    }
}
