using Upseed.Records;

namespace Upseed.Cli.Tests;

public sealed class BenchCommandTests : IDisposable
{
    private readonly CliSandbox _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void Gen_300PostsIn3Communities_TopListsThem()
    {
        var report = _cli.Json("bench", "gen", "--posts", "300", "--communities", "3");

        Assert.Equal(300, report.GetProperty("posts").GetInt32());
        using (var store = _cli.OpenStore())
        {
            Assert.Equal(300, store.Count(RecordKind.Post));
        }

        var all = _cli.Top("--sort", "new", "--limit", "500");
        Assert.Equal(300, all.Count);
        Assert.Equal(["bench-0", "bench-1", "bench-2"], all.Select(p => p.GetProperty("community").GetString()).Distinct().Order());
        var one = _cli.Top("--community", "bench-1", "--sort", "top", "--period", "all", "--limit", "500");
        Assert.Equal(100, one.Count);
        Assert.All(one, p => Assert.Equal("bench-1", p.GetProperty("community").GetString()));
        var scores = one.Select(p => p.GetProperty("score").GetInt64()).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
        Assert.Contains(scores, s => s != 0); // votes were generated too
        Assert.All(all, p => Assert.InRange(p.GetProperty("created").GetInt64(), _cli.Clock.UnixNow - (366 * 86_400), _cli.Clock.UnixNow));
    }

    [Fact]
    public void Gen_SameSeed_SameIds()
    {
        using var other = new CliSandbox();

        _cli.Ok("bench", "gen", "--posts", "50", "--communities", "2", "--days", "3");
        other.Ok("bench", "gen", "--posts", "50", "--communities", "2", "--days", "3");

        Assert.Equal(_cli.TopIds("--sort", "new", "--limit", "500"), other.TopIds("--sort", "new", "--limit", "500"));
    }

    [Fact]
    public void Query_AfterGen_ReportsP95PerQuery()
    {
        _cli.Ok("bench", "gen", "--posts", "300", "--communities", "3");

        var rows = _cli.Json("bench", "query", "--runs", "10").EnumerateArray().ToList();

        Assert.NotEmpty(rows);
        Assert.All(rows, row =>
        {
            Assert.False(string.IsNullOrEmpty(row.GetProperty("query").GetString()));
            Assert.Equal(300, row.GetProperty("posts").GetInt64());
            var p95 = row.GetProperty("p95").GetDouble();
            Assert.InRange(p95, 0, row.GetProperty("max").GetDouble());
            Assert.InRange(row.GetProperty("p50").GetDouble(), 0, p95);
        });
    }

    [Fact]
    public void Query_EmptyDataFolder_ExitsFailure()
    {
        Assert.Equal(1, _cli.Run("bench", "query", "--runs", "10").ExitCode);
    }

    [Fact]
    public void Ingest_400Records_ReportsPositiveRatio()
    {
        var report = _cli.Json("bench", "ingest", "--records", "400");

        Assert.Equal(400, report.GetProperty("records").GetInt32());
        Assert.True(report.GetProperty("verifyPerSecond").GetDouble() > 0);
        Assert.True(report.GetProperty("ingestPerSecond").GetDouble() > 0);
        Assert.True(report.GetProperty("ratio").GetDouble() > 0);
        Assert.True(report.GetProperty("ratioOneThread").GetDouble() > 0);
    }
}
