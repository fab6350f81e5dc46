using System.Globalization;
using System.Net;
using System.Text.Json;
using Upseed.Crypto;
using Upseed.Records;
using Upseed.Store;

namespace Upseed.Interop.Tests;

/// <summary><c>upseed node</c> as a process: ready on /healthz, seeds to libtorrent, stops cleanly on SIGTERM.</summary>
[Trait("Category", "Interop")]
public sealed class NodeProcessTests
{
    [Fact]
    public async Task Node_Process_ServesHealthzSeedsAPostAndStopsOnSigterm()
    {
        using var folder = new TempDirectory(nameof(Node_Process_ServesHealthzSeedsAPostAndStopsOnSigterm));
        PostRecord post;
        using (var store = RecordStore.Open(folder.Path))
        {
            store.SetSetting("pow.post", "8");
            post = new RecordFactory(Ed25519.Generate(), store.ValidationOptions).Post("interop", "Served by upseed node", "Hello from a process.");
            Assert.Equal(IngestOutcome.Accepted, store.Ingest(post.Bytes).Outcome);
            store.Pin(post.Id, PinReason.Own);
        }

        var peerPort = FreePort.Tcp();
        var webPort = FreePort.Tcp();
        await using var node = BackgroundProcess.Start(
            UpseedWrapper(),
            ["--data", folder.Path, "node", "--listen", $"127.0.0.1:{peerPort}", "--web", $"127.0.0.1:{webPort}", "--dht", "off", "--lsd", "off"],
            "(this repository's tools/upseed)");

        using var http = new HttpClient();
        var health = await PollHealthAsync(http, $"http://127.0.0.1:{webPort}/healthz", node);
        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal($"127.0.0.1:{peerPort}", health.GetProperty("listen").GetString());

        using var download = new TempDirectory("node-process-download");
        var script = Path.Combine(AppContext.BaseDirectory, "scripts", "lt_fetch.py");
        var fetched = await ProcessRunner.RunAsync(Libtorrent.Python, [script, "--magnet", $"magnet:?xt=urn:btih:{post.Id.ToHex()}", "--peer", $"127.0.0.1:{peerPort}", "--save", download.Path, "--timeout", "30"], TimeSpan.FromSeconds(60));
        Assert.True(fetched.ExitCode == 0, fetched.Describe());
        Assert.Equal(post.Bytes.ToArray(), await File.ReadAllBytesAsync(Path.Combine(download.Path, post.FileName)));

        using (var store = RecordStore.Open(folder.Path))
        {
            Assert.Equal($"127.0.0.1:{peerPort}", store.GetSetting(Upseed.Node.BoxLinks.PeerHintSetting));
        }

        var kill = await ProcessRunner.RunAsync("/bin/kill", ["-TERM", node.Id.ToString(CultureInfo.InvariantCulture)]);
        Assert.Equal(0, kill.ExitCode);
        Assert.Equal(0, await node.WaitForExitAsync(TimeSpan.FromSeconds(20)));
    }

    private static async Task<JsonElement> PollHealthAsync(HttpClient http, string url, BackgroundProcess node)
    {
        // The wrapper may build the CLI first (a minute or two on a fresh clone).
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        while (true)
        {
            Assert.False(node.HasExited, $"upseed node exited: {node.Output} {node.Error}");
            try
            {
                using var response = await http.GetAsync(url);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                // Not listening yet.
            }

            Assert.True(DateTime.UtcNow < deadline, $"/healthz never answered 200. {node.Output} {node.Error}");
            await Task.Delay(100);
        }
    }

    /// <summary>tools/upseed, the wrapper that builds and runs the CLI, found above the test assembly.</summary>
    internal static string UpseedWrapper()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Appliance.sln")))
            {
                return Path.Combine(folder.FullName, "tools", "upseed");
            }
        }

        throw new InvalidOperationException($"No Appliance.sln above {AppContext.BaseDirectory}.");
    }
}
