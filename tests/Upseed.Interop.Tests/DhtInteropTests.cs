using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Upseed.Crypto;
using Upseed.Node;
using Upseed.Node.Discovery;
using Upseed.Records;
using Upseed.Store;

namespace Upseed.Interop.Tests;

/// <summary>
/// Our DHT against libtorrent's (python3-libtorrent), all on 127.0.0.1: `upseed node` in-process with
/// <c>--dht-bootstrap none</c>, two libtorrent sessions joining through it, and the `upseed dht` commands run as
/// processes through tools/upseed.
/// </summary>
[Trait("Category", "Interop")]
public sealed class DhtInteropTests
{
    [Fact]
    public async Task Libtorrent_FindsOurNodesAnnounce_AndOurDhtPeersFindsLibtorrentsAnnounce()
    {
        using var folder = new TempDirectory(nameof(Libtorrent_FindsOurNodesAnnounce_AndOurDhtPeersFindsLibtorrentsAnnounce));
        var post = MakeFolder(folder.Path);
        await using var node = await StartNodeAsync(folder.Path);
        var discovery = node.Services.GetRequiredService<DiscoveryService>();
        var listen = node.Services.GetRequiredService<SeedingService>().Listener!.LocalEndPoint;
        await using var libtorrent = await LibtorrentDht.StartAsync($"127.0.0.1:{discovery.Dht!.EndPoint.Port}");

        // Our node announces its own post (again every 2 s here); libtorrent's get_peers finds it.
        var found = await libtorrent.RunAsync(new { op = "get-peers", ih = post.Id.ToHex(), expect = listen.ToString() });
        Assert.True(found.GetProperty("ok").GetBoolean(), found.ToString());

        // libtorrent announces a swarm; `upseed dht peers` finds its peers.
        var infoHash = "5ee0ffd1a2b3c4d5e6f708192a3b4c5d6e7f8091";
        var announced = await libtorrent.RunAsync(new { op = "announce", ih = infoHash });
        var expected = announced.GetProperty("peers").EnumerateArray().Select(p => p.GetString()!).ToList();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var peers = await Upseed(["dht", "peers", infoHash, "--bootstrap", $"127.0.0.1:{discovery.Dht.EndPoint.Port}"]);
            Assert.True(peers.ExitCode == 0, peers.Describe());
            var lines = peers.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (expected.Any(lines.Contains))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"libtorrent's announce was never found: {peers.Describe()}");
            await Task.Delay(1000);
        }
    }

    [Fact]
    public async Task LibtorrentsMutablePut_IsReadByOurDhtGet_AndOurDhtPut_IsVerifiedAndReadByLibtorrent()
    {
        using var folder = new TempDirectory(nameof(LibtorrentsMutablePut_IsReadByOurDhtGet_AndOurDhtPut_IsVerifiedAndReadByLibtorrent));
        var ours = Ed25519.Generate();
        new KeyDirectory(Path.Combine(folder.Path, "keys")).Save(ours);
        await using var node = await StartNodeAsync(folder.Path);
        var bootstrap = $"127.0.0.1:{node.Services.GetRequiredService<DiscoveryService>().Dht!.EndPoint.Port}";
        await using var libtorrent = await LibtorrentDht.StartAsync(bootstrap);

        // libtorrent signs and puts; we read it.
        var theirs = Ed25519.Generate();
        var put = await libtorrent.RunAsync(new
        {
            op = "put",
            seed = Convert.ToHexStringLower(theirs.Seed),
            key = theirs.PublicKeyHex,
            salt = "lt-salt",
            value = "Hello from libtorrent",
        });
        Assert.True(put.GetProperty("ok").GetBoolean(), put.ToString());
        var got = await Upseed(["dht", "get", "--key", theirs.PublicKeyHex, "--salt", "lt-salt", "--bootstrap", bootstrap]);
        Assert.True(got.ExitCode == 0, got.Describe());
        Assert.Equal("Hello from libtorrent", got.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1]);

        // We sign and put (twice: seq follows what a get finds); libtorrent reads it and checks the signature.
        for (var seq = 1; seq <= 2; seq++)
        {
            var value = $"Hello from upseed #{seq}";
            var ourPut = await Upseed(["--data", folder.Path, "dht", "put", "--salt", "upseed-salt", "--value", value, "--bootstrap", bootstrap, "--json"]);
            Assert.True(ourPut.ExitCode == 0, ourPut.Describe());
            using var json = JsonDocument.Parse(ourPut.StandardOutput);
            Assert.Equal(ours.PublicKeyHex, json.RootElement.GetProperty("key").GetString());
            Assert.Equal(seq, json.RootElement.GetProperty("seq").GetInt64());

            var read = await libtorrent.RunAsync(new { op = "get", key = ours.PublicKeyHex, salt = "upseed-salt", seq });
            Assert.True(read.GetProperty("ok").GetBoolean(), read.ToString());
            Assert.Equal(value, read.GetProperty("value").GetString());
            Assert.Equal(seq, read.GetProperty("seq").GetInt64());
            Assert.Equal("upseed-salt", read.GetProperty("salt").GetString());
        }
    }

    private static PostRecord MakeFolder(string folder)
    {
        var identity = Ed25519.Generate();
        new KeyDirectory(Path.Combine(folder, "keys")).Save(identity);
        using var store = RecordStore.Open(folder);
        store.SetSetting("pow.post", "4");
        var post = new RecordFactory(identity, store.ValidationOptions).Post("interop", "Announced on the DHT", "Body.");
        Assert.Equal(IngestOutcome.Accepted, store.Ingest(post.Bytes).Outcome);
        store.Pin(post.Id, PinReason.Own);
        return post;
    }

    private static async Task<WebApplication> StartNodeAsync(string folder)
    {
        var app = NodeHost.Build(
            new NodeOptions
            {
                DataFolder = folder,
                Listen = new IPEndPoint(IPAddress.Loopback, 0),
                Web = new IPEndPoint(IPAddress.Loopback, 0),
                DhtBootstrap = [],
                Lsd = false,
                DiscoveryTick = TimeSpan.FromMilliseconds(200),
                DhtReannounceInterval = TimeSpan.FromSeconds(2),
                DhtRetryAfterFailure = TimeSpan.FromSeconds(1),
            },
            logging => logging.SetMinimumLevel(LogLevel.Warning));
        await app.StartAsync();
        var discovery = app.Services.GetRequiredService<DiscoveryService>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!discovery.IsReady || discovery.Dht is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the node's DHT never started");
            await Task.Delay(50);
        }

        return app;
    }

    // tools/upseed builds the CLI on first use, which can take minutes on a fresh clone.
    private static Task<ProcessResult> Upseed(string[] arguments) =>
        ProcessRunner.RunAsync(NodeProcessTests.UpseedWrapper(), arguments, TimeSpan.FromMinutes(5));
}
