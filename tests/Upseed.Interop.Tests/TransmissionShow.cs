namespace Upseed.Interop.Tests;

/// <summary>
/// Runs <c>transmission-show</c> (Debian package transmission-cli). A missing tool fails the test with the package
/// to install: an interop test that skips silently proves nothing.
/// </summary>
internal static class TransmissionShow
{
    public const string Executable = "transmission-show";
    public const string DebianPackage = "transmission-cli";

    /// <summary>Runs <c>transmission-show [options] &lt;torrent&gt;</c>.</summary>
    public static async Task<ProcessResult> RunAsync(string torrentPath, params string[] options)
    {
        var executable = FindOnPath(Executable) ?? throw MissingTool();
        return await ProcessRunner.RunAsync(executable, [.. options, torrentPath]);
    }

    /// <summary>Runs it on a torrent it must accept, and fails the test with its output if it does not.</summary>
    public static async Task<TransmissionShowReport> ShowAsync(string torrentPath)
    {
        var result = await RunAsync(torrentPath);
        Assert.True(result.ExitCode == 0, $"{Executable} refused {torrentPath}: {result.Describe()}");
        return TransmissionShowReport.Parse(result.StandardOutput);
    }

    private static InvalidOperationException MissingTool() => new InvalidOperationException(
        $"{Executable} is not on PATH. Install the Debian package {DebianPackage} (apt-get install {DebianPackage}) to run the interop tests.");

    private static string? FindOnPath(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
