namespace Upseed.Cli.Tests;

/// <summary>
/// <c>upseed export --torrent</c> read by real BitTorrent implementations: Transmission (Debian package
/// transmission-cli) and libtorrent (python3-libtorrent). Both must compute the record id as the info-hash
/// (issue 2, Records part 4). A missing tool fails the test with the package to install.
/// </summary>
[Trait("Category", "Interop")]
public sealed class ExportTorrentInteropTests : IDisposable
{
    private const string Python = "/usr/bin/python3";

    private readonly CliSandbox _cli = new();
    private readonly string _post;
    private readonly string _torrent;

    public ExportTorrentInteropTests()
    {
        _cli.NewIdentity("Alice");
        _post = _cli.Post("gardening", "First tomatoes: ünïcödé & spaces", "Small but red.\nAnyone else growing Sungold?");
        _torrent = _cli.PathFor("post.torrent");
        _cli.Ok("export", _post, "--torrent", _torrent);
    }

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task ExportTorrent_TransmissionShow_PrintsTheIdAsHashAsync()
    {
        var result = await ProcessRunner.RunAsync(FindOnPath("transmission-show", "transmission-cli"), [_torrent]);

        Assert.True(result.ExitCode == 0, result.Describe());
        var hashLine = result.StandardOutput.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("Hash", StringComparison.Ordinal));
        Assert.Equal($"Hash: {_post}", hashLine);
    }

    [Fact]
    public async Task ExportTorrent_Libtorrent_ReadsTheIdAsInfoHashAsync()
    {
        Assert.True(File.Exists(Python), $"{Python} is missing; install the Debian packages python3 and python3-libtorrent.");

        var result = await ProcessRunner.RunAsync(Python, ["-c", "import sys, libtorrent as lt; print(lt.torrent_info(sys.argv[1]).info_hash())", _torrent]);

        Assert.True(result.ExitCode == 0, $"install python3-libtorrent if the import failed: {result.Describe()}");
        Assert.Equal(_post, result.StandardOutput.Trim());
    }

    [Fact]
    public async Task ExportTorrent_TorrentOfComment_SameIdForBothToolsAsync()
    {
        var comment = _cli.Comment(_post, "Sungold here.");
        var file = _cli.PathFor("comment.torrent");
        _cli.Ok("export", comment, "--torrent", file);

        var transmission = await ProcessRunner.RunAsync(FindOnPath("transmission-show", "transmission-cli"), [file]);
        var libtorrent = await ProcessRunner.RunAsync(Python, ["-c", "import sys, libtorrent as lt; print(lt.torrent_info(sys.argv[1]).info_hash())", file]);

        Assert.Contains($"Hash: {comment}", transmission.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(comment, libtorrent.StandardOutput.Trim());
    }

    private static string FindOnPath(string name, string debianPackage)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"{name} is not on PATH. Install the Debian package {debianPackage} to run the interop tests.");
    }
}
