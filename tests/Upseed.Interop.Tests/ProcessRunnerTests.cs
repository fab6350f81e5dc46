using System.Diagnostics;

namespace Upseed.Interop.Tests;

[Trait("Category", "Interop")]
public class ProcessRunnerTests
{
    [Fact]
    public async Task RunAsync_ProcessWritesBothStreams_CapturesThemAndExitCodeAsync()
    {
        var result = await ProcessRunner.RunAsync("/bin/sh", ["-c", "printf 'out wörld'; printf err >&2; exit 3"]);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("out wörld", result.StandardOutput);
        Assert.Equal("err", result.StandardError);
    }

    [Fact]
    public async Task RunAsync_ProcessOutlivesTimeout_KillsItAndThrowsAsync()
    {
        var stopwatch = Stopwatch.StartNew();

        var ex = await Assert.ThrowsAsync<TimeoutException>(
            () => ProcessRunner.RunAsync("/bin/sleep", ["60"], TimeSpan.FromMilliseconds(300)));

        // Output is read to the end after the kill; a surviving sleep would hold its pipes open for a minute.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), $"took {stopwatch.Elapsed}");
        Assert.Contains("was killed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_MissingExecutable_ThrowsNamingItAsync()
    {
        var ex = await Assert.ThrowsAsync<FileNotFoundException>(
            () => ProcessRunner.RunAsync("/nonexistent/upseed-no-such-tool", []));

        Assert.Contains("upseed-no-such-tool", ex.Message, StringComparison.Ordinal);
    }
}
