using System.Net;
using Upseed.Crypto;
using Upseed.Metainfo;
using Upseed.Records;
using Upseed.Store;
using Upseed.Torrent.Swarm;

namespace Upseed.Sync.Tests;

/// <summary>
/// A node for sync tests: its own store in a temporary folder (proof of work off), a <see cref="CommunitySync"/>
/// following the store's changes, and a real <see cref="PeerListener"/> on 127.0.0.1 that hands sync handshakes to it.
/// </summary>
internal sealed class SyncNode : IAsyncDisposable
{
    private SyncNode(string folder, RecordStore store, CommunitySync sync, PeerListener listener)
    {
        Folder = folder;
        Store = store;
        Sync = sync;
        Listener = listener;
    }

    public string Folder { get; }

    public RecordStore Store { get; }

    public CommunitySync Sync { get; }

    public PeerListener Listener { get; }

    public IPEndPoint Endpoint => Listener.LocalEndPoint;

    public static SyncNode Start(SyncOptions? options = null, params string[] communities)
    {
        var folder = Path.Combine(Path.GetTempPath(), "upseed-sync-tests", Guid.NewGuid().ToString("N"));
        var store = RecordStore.Open(folder, new StoreOptions { SynchronousFull = false });
        store.SetSetting("pow.post", "0");
        store.SetSetting("pow.identity", "0");
        var sync = new CommunitySync(new StoreSyncSource(store), options ?? new SyncOptions { ChangePollInterval = TimeSpan.FromMilliseconds(100) });
        foreach (var community in communities)
        {
            sync.Carry(community);
        }

        var listener = new PeerListener(new IPEndPoint(IPAddress.Loopback, 0), new NoTorrents()) { HandshakeHandler = sync };
        listener.Start();
        sync.Start();
        return new SyncNode(folder, store, sync, listener);
    }

    public static RecordFactory Factory(int key) => new(Key(key), new RecordValidationOptions { RequiredWork = (_, _) => 0 });

    public static Ed25519KeyPair Key(int n)
    {
        var seed = new byte[Ed25519.SeedSize];
        BitConverter.TryWriteBytes(seed, n);
        seed[31] = 0x5C;
        return Ed25519.FromSeed(seed);
    }

    /// <summary>Stores a record as a local write would, and tells sync at once.</summary>
    public void Add(SignedRecord record)
    {
        var result = Store.Ingest(record.Bytes);
        Assert.True(result.Outcome is IngestOutcome.Accepted or IngestOutcome.Duplicate, $"{result.Outcome}: {result.Rejection}");
        Sync.NotifyChanged();
    }

    public bool Has(InfoHash id) => Store.Contains(id);

    public HashSet<InfoHash> Community(string community)
    {
        var stamps = new List<RecordStamp>();
        Store.CommunityStamps(community, 0, long.MaxValue, stamps);
        return stamps.Select(s => s.Id).ToHashSet();
    }

    public async ValueTask DisposeAsync()
    {
        await Sync.DisposeAsync();
        await Listener.DisposeAsync();
        Store.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open on a slow shutdown: the temp folder is cleaned later.
        }
    }

    /// <summary>Waits for a condition, polling; the long limit is only against hangs.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(20);
        }
    }

    private sealed class NoTorrents : ITorrentCatalog
    {
        public ValueTask<SeedableTorrent?> FindAsync(InfoHash infoHash, CancellationToken cancellationToken) => ValueTask.FromResult<SeedableTorrent?>(null);
    }
}
