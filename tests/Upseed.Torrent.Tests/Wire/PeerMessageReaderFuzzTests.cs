using System.Buffers;
using Upseed.Torrent.Wire;
using Xunit.Abstractions;

namespace Upseed.Torrent.Tests.Wire;

/// <summary>
/// Fuzzes the reader with <see cref="PeerWireFuzzer"/>. The default run is short and fixed; the LongFuzz run reads
/// UPSEED_FUZZ_ITERATIONS (default 1,000,000) and UPSEED_FUZZ_SEED and is left out of the default suite by its trait:
/// <c>dotnet test tests/Upseed.Torrent.Tests --filter Category=LongFuzz</c>.
/// </summary>
public class PeerMessageReaderFuzzTests(ITestOutputHelper output)
{
    private const int DefaultSeed = 20_26_11_23;

    [Fact]
    public async Task TryRead_RandomAndMutatedStreams_KeepsTheOracle()
    {
        var (stats, elapsed) = await FuzzRun.RunAsync(DefaultSeed, 20_000, TimeSpan.FromSeconds(30), Shard, FuzzStats.Combine);
        output.WriteLine($"{elapsed.TotalSeconds:F2} s: {stats}");

        // The run must reach every message type and every rejection reason, or it is not testing much.
        Assert.True(stats.Accepts.Count >= 18, stats.ToString());
        Assert.Equal(
            Enum.GetValues<PeerWireError>().Where(e => e != PeerWireError.None).Select(e => e.ToString()).Order(),
            stats.Rejections.Keys.Order());
    }

    [Fact]
    [Trait("Category", "LongFuzz")]
    public async Task TryRead_LongFuzz_KeepsTheOracle()
    {
        var iterations = FuzzRun.ReadEnvironment("UPSEED_FUZZ_ITERATIONS", 1_000_000);
        var seed = FuzzRun.ReadEnvironment("UPSEED_FUZZ_SEED", DefaultSeed + 1);

        var (stats, elapsed) = await FuzzRun.RunAsync(seed, iterations, TimeSpan.FromSeconds(120 + (iterations / 1_000)), Shard, FuzzStats.Combine);
        output.WriteLine($"{iterations} inputs, seed {seed}, {elapsed.TotalSeconds:F1} s: {stats}");

        Assert.True(stats.AcceptedCount > 0);
    }

    [Theory]
    [InlineData("000000")] // a partial prefix
    [InlineData("00000000000000")] // a keep-alive and a partial prefix
    [InlineData("0000000d06000000000000000000004001")] // request over the block limit
    [InlineData("0000000a07000000000000000061ff")] // piece, then one stray byte
    public void Check_HandPickedStreams_HoldTheOracle(string hex)
    {
        var bytes = Convert.FromHexString(hex);

        PeerWireFuzzer.Check(bytes, SegmentedSequence.OneBytePerSegment(bytes), PeerWireOptions.Default);
        PeerWireFuzzer.Check(bytes, new ReadOnlySequence<byte>(bytes), PeerWireOptions.Default);
    }

    private static FuzzStats Shard(int seed, int iterations)
    {
        var fuzzer = new PeerWireFuzzer(seed);
        fuzzer.Run(iterations);
        return fuzzer.Stats;
    }
}
