using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Upseed.Crypto;
using Upseed.Node.Discovery;
using Upseed.Records;
using Upseed.Store;
using Upseed.Torrent.Lsd;

namespace Upseed.Node.Tests.Discovery;

/// <summary>
/// An in-process <c>upseed node</c> on 127.0.0.1 with its own data folder (deleted on dispose), an identity whose key
/// is in the folder's keys/, and fast discovery timings. The DHT port is the peer port, as in production.
/// </summary>
internal sealed class TestNode : IAsyncDisposable
{
    private readonly bool _deleteFolder;

    private TestNode(string folder, Ed25519KeyPair identity, WebApplication app, bool deleteFolder)
    {
        Folder = folder;
        Identity = identity;
        App = app;
        _deleteFolder = deleteFolder;
    }

    public string Folder { get; }

    public Ed25519KeyPair Identity { get; }

    public WebApplication App { get; }

    public DiscoveryService Discovery => App.Services.GetRequiredService<DiscoveryService>();

    public IPEndPoint PeerEndPoint => App.Services.GetRequiredService<SeedingService>().Listener!.LocalEndPoint;

    public IPEndPoint DhtEndPoint => Discovery.Dht!.EndPoint;

    public string WebUrl => App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

    /// <summary>A fresh data folder with one identity and one own post per community given.</summary>
    public static string MakeFolder(out Ed25519KeyPair identity, out IReadOnlyList<PostRecord> posts, params string[] communities)
    {
        var folder = Path.Combine(Path.GetTempPath(), "upseed-node-discovery-" + Guid.NewGuid().ToString("N"));
        identity = Ed25519.Generate();
        new KeyDirectory(Path.Combine(folder, "keys")).Save(identity);
        var made = new List<PostRecord>();
        using var store = RecordStore.Open(folder);
        store.SetSetting("pow.post", "4");
        foreach (var community in communities)
        {
            var post = new RecordFactory(identity, store.ValidationOptions).Post(community, "A post in " + community, "Body.");
            Assert.Equal(IngestOutcome.Accepted, store.Ingest(post.Bytes).Outcome);
            store.Pin(post.Id, PinReason.Own);
            made.Add(post);
        }

        posts = made;
        return folder;
    }

    public static async Task<TestNode> StartAsync(
        string folder,
        Ed25519KeyPair identity,
        IReadOnlyList<string> bootstrap,
        bool lsd = false,
        int lsdPort = 6771,
        Func<AddressFamily, ILsdTransport>? lsdTransports = null,
        bool deleteFolder = true,
        int? dhtPort = null)
    {
        var options = new NodeOptions
        {
            DataFolder = folder,
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            Web = new IPEndPoint(IPAddress.Loopback, 0),
            Dht = true,
            DhtPort = dhtPort,
            DhtBootstrap = bootstrap,
            Lsd = lsd,
            LsdPort = lsdPort,
            LsdAnnounceInterval = TimeSpan.FromMilliseconds(500),
            DiscoveryTick = TimeSpan.FromMilliseconds(100),
            DiscoveryRefreshInterval = TimeSpan.FromSeconds(1),
            DhtReannounceInterval = TimeSpan.FromSeconds(2),
            DhtRetryAfterFailure = TimeSpan.FromMilliseconds(500),
            DhtRepublishInterval = TimeSpan.FromSeconds(2),
        };
        var app = NodeHost.Build(options, logging => logging.SetMinimumLevel(LogLevel.Warning), lsdTransports);
        await app.StartAsync();
        var node = new TestNode(folder, identity, app, deleteFolder);
        await WaitUntilAsync(() => node.Discovery.IsReady, "discovery never started");
        return node;
    }

    /// <summary>Polls a condition every 50 ms; fails after a generous minute (a guard against hangs, not a timing assertion).</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        if (_deleteFolder)
        {
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is harmless.
            }
        }
    }
}
