using System.Net;
using System.Text.Json;
using Upseed.Metainfo;
using Upseed.Torrent.Swarm;

namespace Upseed.Interop.Tests;

/// <summary>
/// The BitTorrent engine against real clients from Debian, all on 127.0.0.1: libtorrent (python3-libtorrent),
/// aria2c, transmission-cli, with opentracker where a client only finds peers through a tracker.
/// libtorrent runs with encryption (MSE) and uTP off: the node speaks plain TCP, and with them on libtorrent first
/// tries those and falls back after a timeout (it still downloads, seconds later).
/// </summary>
[Trait("Category", "Interop")]
public sealed class EngineInteropTests
{
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Libtorrent_BareMagnetWithPeer_DownloadsPostFromNode()
    {
        await using var node = SeedingNode.Start(nameof(Libtorrent_BareMagnetWithPeer_DownloadsPostFromNode));
        var post = node.Post("Fetched by a bare magnet link");
        using var download = new TempDirectory("lt-magnet");

        var result = await LibtorrentFetchAsync(["--magnet", $"magnet:?xt=urn:btih:{post.Id.ToHex()}", "--peer", node.PeerAddress], download.Path);

        Assert.Equal(post.Id.ToHex(), result.GetProperty("info_hash").GetString());
        Assert.Equal(post.FileName, result.GetProperty("name").GetString());
        Assert.Equal(post.Bytes.ToArray(), await File.ReadAllBytesAsync(Path.Combine(download.Path, post.FileName)));
        Assert.True(node.Listener.Counters.MetadataPiecesServed >= 1, "libtorrent got the metadata from the node (ut_metadata)");
    }

    [Fact]
    public async Task Libtorrent_TorrentFile_DownloadsMultiPiecePostFromNode()
    {
        await using var node = SeedingNode.Start(nameof(Libtorrent_TorrentFile_DownloadsMultiPiecePostFromNode));
        var post = node.Post("Three pieces long", bodyBytes: 39_000);
        using var download = new TempDirectory("lt-torrent");
        var torrent = download.WriteFile("post.torrent", SingleFileTorrent.BuildTorrentFile(post.FileName, post.Bytes.Span));

        var result = await LibtorrentFetchAsync(["--torrent", torrent, "--peer", node.PeerAddress], download.Path);

        Assert.Equal(post.Id.ToHex(), result.GetProperty("info_hash").GetString());
        Assert.Equal(post.Bytes.ToArray(), await File.ReadAllBytesAsync(Path.Combine(download.Path, post.FileName)));
        Assert.Equal(3, node.Listener.Counters.BlocksServed);
    }

    [Fact]
    public async Task Node_PostSeededOnlyByLibtorrent_FetchesByInfoHashAndStoresIt()
    {
        // The post exists only as a file seeded by libtorrent; the fetching node has an empty store.
        await using var author = SeedingNode.Start("author");
        var post = author.Post("Seeded by libtorrent alone", bodyBytes: 20_000);
        using var seedFolder = new TempDirectory("lt-seed");
        seedFolder.WriteFile(post.FileName, post.Bytes.ToArray());
        var torrent = seedFolder.WriteFile("post.torrent", SingleFileTorrent.BuildTorrentFile(post.FileName, post.Bytes.Span));
        await using var seeder = await StartLibtorrentSeederAsync(seedFolder.Path, torrent);
        await using var fetching = SeedingNode.Start(nameof(Node_PostSeededOnlyByLibtorrent_FetchesByInfoHashAndStoresIt));

        var fetched = await new TorrentFetcher().FetchAsync(post.Id, [seeder.Endpoint], cancellationToken: Timeout());
        var ingest = fetching.Store.Ingest(fetched.Content);

        Assert.Equal(post.Bytes.ToArray(), fetched.Content.ToArray());
        Assert.Equal(Upseed.Store.IngestOutcome.Accepted, ingest.Outcome);
        Assert.Equal(post.Id, ingest.Id);
    }

    [Fact]
    public async Task Aria2_ThroughOpentracker_DownloadsPostFromNode()
    {
        await using var node = SeedingNode.Start(nameof(Aria2_ThroughOpentracker_DownloadsPostFromNode));
        var post = node.Post("aria2 fetches this", bodyBytes: 18_000);
        using var download = new TempDirectory("aria2");
        await using var tracker = await Opentracker.StartAsync(download.Path, post.Id);
        await tracker.AnnounceSeederAsync(post.Id, node.Endpoint.Port);
        var torrent = download.WriteFile("post.torrent", SingleFileTorrent.BuildTorrentFile(post.FileName, post.Bytes.Span, [tracker.AnnounceUrl]));

        await using var aria2 = BackgroundProcess.Start("/usr/bin/aria2c",
        [
            $"--dir={download.Path}", "--seed-time=0", "--enable-dht=false", "--enable-dht6=false", "--bt-enable-lpd=false",
            "--enable-peer-exchange=false", "--summary-interval=0", "--console-log-level=warn", "--bt-stop-timeout=50",
            $"--listen-port={FreePort.Tcp()}", "--follow-torrent=false", torrent,
        ], "aria2");
        var exit = await aria2.WaitForExitAsync(ClientTimeout);

        Assert.True(exit == 0, $"aria2c exited {exit}: {aria2.Output} {aria2.Error}");
        Assert.Equal(post.Bytes.ToArray(), await File.ReadAllBytesAsync(Path.Combine(download.Path, post.FileName)));
    }

    [Fact]
    public async Task Aria2_NodeAnnouncesItselfToOpentracker_DownloadsPost()
    {
        using var folder = new TempDirectory(nameof(Aria2_NodeAnnouncesItselfToOpentracker_DownloadsPost));
        var data = Path.Combine(folder.Path, "node");
        Upseed.Records.PostRecord post;
        await using (var author = SeedingNode.Start("announce-author"))
        {
            post = author.Post("Announced by the node itself", bodyBytes: 3_000);
        }

        await using var tracker = await Opentracker.StartAsync(folder.Path, post.Id);
        using (var store = Upseed.Store.RecordStore.Open(data))
        {
            store.SetSetting("pow.post", "8");
            Assert.Equal(Upseed.Store.IngestOutcome.Accepted, store.Ingest(post.Bytes).Outcome);
            store.Pin(post.Id, Upseed.Store.PinReason.Upvote);
            store.SetSetting(Upseed.Node.BoxLinks.TrackersSetting, tracker.AnnounceUrl);
        }

        var options = new Upseed.Node.NodeOptions
        {
            DataFolder = data,
            Listen = new IPEndPoint(IPAddress.Loopback, FreePort.Tcp()),
            Web = new IPEndPoint(IPAddress.Loopback, FreePort.Tcp()),
            Dht = false,
            Lsd = false,
            TrackerPollInterval = TimeSpan.FromMilliseconds(200),
        };
        await using var app = Upseed.Node.NodeHost.Build(options);
        await app.StartAsync();

        using var download = new TempDirectory("aria2-announced");
        var torrent = download.WriteFile("post.torrent", SingleFileTorrent.BuildTorrentFile(post.FileName, post.Bytes.Span, [tracker.AnnounceUrl]));
        await using var aria2 = BackgroundProcess.Start("/usr/bin/aria2c",
        [
            $"--dir={download.Path}", "--seed-time=0", "--enable-dht=false", "--enable-dht6=false", "--bt-enable-lpd=false",
            "--enable-peer-exchange=false", "--summary-interval=0", "--console-log-level=warn", "--bt-stop-timeout=50",
            $"--listen-port={FreePort.Tcp()}", "--follow-torrent=false", "--bt-tracker-interval=1", torrent,
        ], "aria2");
        var exit = await aria2.WaitForExitAsync(ClientTimeout);
        await app.StopAsync();

        Assert.True(exit == 0, $"aria2c exited {exit}: {aria2.Output} {aria2.Error}");
        Assert.Equal(post.Bytes.ToArray(), await File.ReadAllBytesAsync(Path.Combine(download.Path, post.FileName)));
    }

    /// <summary>
    /// Transmission refuses loopback peers (127.0.0.0/8 is "martian" to it) and peers at its own address, so the node
    /// (as <c>upseed node</c>) and opentracker run in one network namespace and transmission-cli in another, joined by
    /// a veth pair on a private subnet the test makes and deletes.
    /// </summary>
    [Fact]
    public async Task TransmissionCli_ThroughOpentracker_DownloadsPostFromNode()
    {
        using var folder = new TempDirectory("transmission");
        var data = Path.Combine(folder.Path, "node");
        Upseed.Records.PostRecord post;
        await using (var author = SeedingNode.Start("transmission-author"))
        {
            post = author.Post("Transmission fetches this", bodyBytes: 5_000);
        }

        using (var store = Upseed.Store.RecordStore.Open(data))
        {
            store.SetSetting("pow.post", "8");
            Assert.Equal(Upseed.Store.IngestOutcome.Accepted, store.Ingest(post.Bytes).Outcome);
            store.Pin(post.Id, Upseed.Store.PinReason.Own);
        }

        await using var net = await NetworkNamespacePair.CreateAsync();
        var trackerFolder = Directory.CreateDirectory(Path.Combine(folder.Path, "opentracker")).FullName;
        File.SetUnixFileMode(trackerFolder, (UnixFileMode)0b111_101_101);
        await File.WriteAllTextAsync(Path.Combine(trackerFolder, "whitelist"), post.Id.ToHex() + "\n");
        await using var tracker = NetworkNamespacePair.Start(net.First, "/usr/bin/opentracker", ["-i", net.FirstAddress, "-p", "6969", "-P", "6969", "-d", trackerFolder, "-w", "whitelist"], "opentracker", trackerFolder);
        await using var node = NetworkNamespacePair.Start(net.First, NodeProcessTests.UpseedWrapper(), ["--data", data, "node", "--listen", $"{net.FirstAddress}:6881", "--web", $"{net.FirstAddress}:8080", "--dht", "off", "--lsd", "off"], "(this repository)");
        await WaitForAsync(() => node.Output.Contains("Seeding on", StringComparison.Ordinal), TimeSpan.FromMinutes(4), () => $"the node did not start: {node.Output} {node.Error}");

        // The node announces itself only when trackers are configured; here the test does it, and retries while
        // opentracker is still loading its whitelist.
        var announce = $"http://{net.FirstAddress}:6969/announce";
        var announced = await NetworkNamespacePair.RunAsync(net.First, Libtorrent.Python, ["-c", $$"""
            import time, urllib.request, urllib.parse
            ih = bytes.fromhex("{{post.Id.ToHex()}}")
            url = "{{announce}}?info_hash=" + urllib.parse.quote(ih) + "&peer_id=-US0001-000000000000&port=6881&uploaded=0&downloaded=0&left=0&compact=1&event=started"
            for attempt in range(200):
                try:
                    reply = urllib.request.urlopen(url, timeout=5).read()
                    if b"failure" not in reply:
                        print("ok"); break
                except OSError:
                    pass
                time.sleep(0.05)
            """]);
        Assert.True(announced.StandardOutput.Contains("ok", StringComparison.Ordinal), announced.Describe());

        var config = Directory.CreateDirectory(Path.Combine(folder.Path, "config")).FullName;
        var files = Directory.CreateDirectory(Path.Combine(folder.Path, "files")).FullName;
        await File.WriteAllTextAsync(Path.Combine(config, "settings.json"), """
            {"dht-enabled": false, "lpd-enabled": false, "pex-enabled": false, "utp-enabled": false,
             "port-forwarding-enabled": false, "encryption": 0, "rename-partial-files": true}
            """);
        var torrent = folder.WriteFile("post.torrent", SingleFileTorrent.BuildTorrentFile(post.FileName, post.Bytes.Span, [announce]));
        await using var transmission = NetworkNamespacePair.Start(net.Second, "/usr/bin/transmission-cli", ["-g", config, "-w", files, "-p", "51413", "-et", torrent], "transmission-cli");

        // transmission-cli keeps seeding after the download; the finished file (no ".part") is the signal.
        var target = Path.Combine(files, post.FileName);
        await WaitForAsync(
            () => File.Exists(target) && new FileInfo(target).Length == post.Bytes.Length,
            ClientTimeout,
            () => $"transmission-cli did not finish. stderr: {transmission.Error}; node: {node.Output}");
        Assert.Equal(post.Bytes.ToArray(), await File.ReadAllBytesAsync(target));
    }

    [Fact]
    public async Task SwarmOfThree_LibtorrentAndNodeSeed_ThirdClientCompletesFromTheSwarm()
    {
        await using var node = SeedingNode.Start(nameof(SwarmOfThree_LibtorrentAndNodeSeed_ThirdClientCompletesFromTheSwarm));
        var post = node.Post("Seeded by two", bodyBytes: 39_000);
        using var seedFolder = new TempDirectory("swarm-seed");
        seedFolder.WriteFile(post.FileName, post.Bytes.ToArray());
        var torrent = seedFolder.WriteFile("post.torrent", SingleFileTorrent.BuildTorrentFile(post.FileName, post.Bytes.Span));
        await using var libtorrentSeeder = await StartLibtorrentSeederAsync(seedFolder.Path, torrent);
        using var download = new TempDirectory("swarm-download");

        var result = await LibtorrentFetchAsync(
            ["--torrent", torrent, "--peer", node.PeerAddress, "--peer", $"127.0.0.1:{libtorrentSeeder.Endpoint.Port}", "--report-peers", "--one-request-per-peer"],
            download.Path);

        // Both seeds are offered; libtorrent picks whom to ask. The node unchokes at once while libtorrent's seeder
        // waits for its choker's tick, so in practice the blocks come from the node; what is checked is that the
        // client completes from the swarm, that every block came from one of the two seeds, and that the node's
        // counters agree with what libtorrent saw.
        Assert.Equal(post.Bytes.ToArray(), await File.ReadAllBytesAsync(Path.Combine(download.Path, post.FileName)));
        var peers = result.GetProperty("peers").EnumerateArray().Select(p => p.GetString()).ToList();
        Assert.NotEmpty(peers);
        Assert.All(peers, p => Assert.Contains(p, new[] { node.PeerAddress, $"127.0.0.1:{libtorrentSeeder.Endpoint.Port}" }));
        Assert.Equal(peers.Contains(node.PeerAddress), node.Listener.Counters.BlocksServed > 0);
    }

    private static CancellationToken Timeout() => new CancellationTokenSource(ClientTimeout).Token;

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout, Func<string> failure)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure());
            await Task.Delay(50);
        }
    }

    private static async Task<JsonElement> LibtorrentFetchAsync(IEnumerable<string> arguments, string saveFolder)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "scripts", "lt_fetch.py");
        var result = await ProcessRunner.RunAsync(Libtorrent.Python, [script, "--save", saveFolder, "--timeout", "50", .. arguments], ClientTimeout);
        var line = result.StandardOutput.Trim().Split('\n').LastOrDefault() ?? string.Empty;
        Assert.True(result.ExitCode == 0, $"libtorrent did not finish: {line} {result.StandardError}");
        return JsonDocument.Parse(line).RootElement.Clone();
    }

    private static async Task<LibtorrentSeeder> StartLibtorrentSeederAsync(string folder, string torrent)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "scripts", "lt_seed.py");
        var process = BackgroundProcess.Start(Libtorrent.Python, [script, "--dir", folder, torrent], Libtorrent.DebianPackage);
        var line = await process.FirstLineAsync(TimeSpan.FromSeconds(30));
        var port = JsonDocument.Parse(line).RootElement.GetProperty("port").GetInt32();
        return new LibtorrentSeeder(process, new IPEndPoint(IPAddress.Loopback, port));
    }

    private sealed record LibtorrentSeeder(BackgroundProcess Process, IPEndPoint Endpoint) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Process.DisposeAsync();
    }

}
