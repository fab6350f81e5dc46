using Xunit.Abstractions;

namespace Upseed.Dht.Tests.Simulation;

/// <summary>Lookups in a simulated network of real nodes with 20% churn (see <see cref="DhtSimulation"/>).</summary>
public sealed class DhtSimulationTests(ITestOutputHelper output)
{
    [Fact]
    public async Task TwoHundredNodes_TwentyPercentChurn_LookupsSucceedAtLeast99Percent()
    {
        var result = await new DhtSimulation(seed: 200, TimeSpan.FromSeconds(2)).RunAsync(200, churn: 0.2, announces: 100, items: 40);

        output.WriteLine(result.ToString());
        Assert.True(result.SuccessRatio >= 0.99, result.ToString());
        Assert.True(result.MedianHops >= 1);
    }

    [Theory]
    [Trait("Category", "Benchmark")]
    [InlineData(200)]
    [InlineData(1000)]
    public async Task LookupCost_AgainstLog2N(int nodes)
    {
        var result = await new DhtSimulation(seed: nodes, TimeSpan.FromSeconds(2)).RunAsync(nodes, churn: 0.2, announces: 200, items: 100);

        output.WriteLine(result.ToString());
        Assert.True(result.SuccessRatio >= 0.99, result.ToString());
    }
}
