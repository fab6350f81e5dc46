using System.Diagnostics;
using System.Globalization;
using System.Net;
using Upseed.Crypto;
using Upseed.Metainfo;
using Upseed.Records;
using Upseed.Store;
using Upseed.Sync;
using Upseed.Torrent.Swarm;

// Usage:
//   Upseed.SyncBench reconcile [--records 100000] [--only-a 1000] [--only-b 1000] [--days 365]
//   Upseed.SyncBench push [--nodes 5] [--runs 20]
var command = args.Length > 0 ? args[0] : "reconcile";
int Option(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}

const string Community = "bench";
var root = Path.Combine(Path.GetTempPath(), "upseed-syncbench", Guid.NewGuid().ToString("N"));
try
{
    return command switch
    {
        "reconcile" => await ReconcileAsync(Option("--records", 100_000), Option("--only-a", 1000), Option("--only-b", 1000), Option("--days", 365)),
        "push" => await PushAsync(Option("--nodes", 5), Option("--runs", 20)),
        _ => Usage(),
    };
}
finally
{
    try
    {
        Directory.Delete(root, recursive: true);
    }
    catch (IOException)
    {
    }
}

static int Usage()
{
    Console.Error.WriteLine("usage: Upseed.SyncBench reconcile [--records N] [--only-a N] [--only-b N] [--days D] | push [--nodes N] [--runs R]");
    return 2;
}

async Task<int> ReconcileAsync(int perSide, int onlyA, int onlyB, int days)
{
    var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    var watch = Stopwatch.StartNew();
    var factories = Enumerable.Range(1, 100).Select(Factory).ToArray();
    var random = new Random(7);
    PostRecord Next(int i) => factories[i % factories.Length].Post(Community, $"post {i}", $"body {i} {random.Next()}", now - random.NextInt64((long)days * 86400));
    var identities = factories.Select((f, i) => (SignedRecord)f.Identity($"author{i}", created: now - (400L * 86400))).ToList();
    var shared = Enumerable.Range(0, perSide - onlyA - identities.Count).Select(Next).Cast<SignedRecord>().ToList();
    var aOnly = Enumerable.Range(0, onlyA).Select(i => Next(10_000_000 + i)).Cast<SignedRecord>().ToList();
    var bOnly = Enumerable.Range(0, onlyB).Select(i => Next(20_000_000 + i)).Cast<SignedRecord>().ToList();
    Console.WriteLine($"made {identities.Count + shared.Count + aOnly.Count + bOnly.Count:N0} signed records in {watch.Elapsed.TotalSeconds:0.0} s");

    await using var a = Node.Start(Path.Combine(root, "a"));
    await using var b = Node.Start(Path.Combine(root, "b"));
    foreach (var chunk in identities.Concat(shared).Concat(aOnly).Chunk(5000))
    {
        a.Store.IngestAuthenticated(chunk);
    }

    foreach (var chunk in identities.Concat(shared).Concat(bOnly).Chunk(5000))
    {
        b.Store.IngestAuthenticated(chunk);
    }

    var countA = Stamps(a.Store).Count;
    var countB = Stamps(b.Store).Count;
    var union = countA + bOnly.Count;
    Console.WriteLine($"A holds {countA:N0} records of the community, B {countB:N0}; {onlyA:N0} only on A, {onlyB:N0} only on B, spread over {days} days");

    watch.Restart();
    var session = await b.Sync.ConnectAsync(a.Endpoint, Community, CancellationToken.None);
    await session.FirstPassCompleted.WaitAsync(TimeSpan.FromMinutes(10));
    var reconciled = watch.Elapsed;
    while (Stamps(a.Store).Count < union || Stamps(b.Store).Count < union)
    {
        await Task.Delay(50);
    }

    var converged = watch.Elapsed;
    var reconcileBytes = session.ReconcileBytesSent + session.ReconcileBytesReceived;
    var allIds = (long)countA * InfoHash.Size;
    Console.WriteLine($"reconciliation: {reconcileBytes:N0} B of ranges both ways in {session.ReconcileRounds} round trips over {session.PassesCompleted} pass(es) of {6} windows: " +
        $"{100.0 * reconcileBytes / allIds:0.00}% of sending all {countA:N0} ids ({allIds:N0} B)");
    Console.WriteLine($"time: all windows reconciled after {reconciled.TotalMilliseconds:0} ms (loading each window's stamps from SQLite included); " +
        $"both stores hold the union ({union:N0}) after {converged.TotalMilliseconds:0} ms");
    Console.WriteLine($"wire, whole connection: {session.BytesSent:N0} B sent by B, {session.BytesReceived:N0} B received by B (records included: {onlyA + onlyB:N0} records moved)");
    return 0;
}

async Task<int> PushAsync(int count, int runs)
{
    var nodes = new List<Node>();
    try
    {
        for (var i = 0; i < count; i++)
        {
            nodes.Add(Node.Start(Path.Combine(root, $"n{i}")));
        }

        for (var i = 1; i < count; i++)
        {
            var session = await nodes[i].Sync.ConnectAsync(nodes[i - 1].Endpoint, Community, CancellationToken.None);
            await session.FirstPassCompleted.WaitAsync(TimeSpan.FromSeconds(60));
        }

        var factory = Factory(1);
        var latencies = new List<double>();
        for (var run = 0; run < runs + 2; run++)
        {
            var post = factory.Post(Community, $"push {run}", $"body {run}");
            var watch = Stopwatch.StartNew();
            nodes[0].Store.Ingest(post.Bytes);
            nodes[0].Sync.NotifyChanged();
            while (!nodes[^1].Store.Contains(post.Id))
            {
                await Task.Delay(1);
            }

            if (run >= 2)
            {
                latencies.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        latencies.Sort();
        Console.WriteLine($"push across a chain of {count} nodes ({count - 1} hops) on loopback, {runs} posts: " +
            $"p50 {latencies[latencies.Count / 2]:0.0} ms, p95 {latencies[(int)(latencies.Count * 0.95)]:0.0} ms, max {latencies[^1]:0.0} ms " +
            "(ingest with fsync on every node, synchronous=FULL)");
        return 0;
    }
    finally
    {
        foreach (var node in nodes)
        {
            await node.DisposeAsync();
        }
    }
}

static List<RecordStamp> Stamps(RecordStore store)
{
    var stamps = new List<RecordStamp>();
    store.CommunityStamps(Community, 0, long.MaxValue, stamps);
    return stamps;
}

static RecordFactory Factory(int n)
{
    var seed = new byte[Ed25519.SeedSize];
    BitConverter.TryWriteBytes(seed, n);
    seed[31] = 0x5B;
    return new RecordFactory(Ed25519.FromSeed(seed), new RecordValidationOptions { RequiredWork = (_, _) => 0 });
}

internal sealed class Node : IAsyncDisposable
{
    private Node(RecordStore store, CommunitySync sync, PeerListener listener)
    {
        Store = store;
        Sync = sync;
        Listener = listener;
    }

    public RecordStore Store { get; }

    public CommunitySync Sync { get; }

    public PeerListener Listener { get; }

    public IPEndPoint Endpoint => Listener.LocalEndPoint;

    public static Node Start(string folder)
    {
        var store = RecordStore.Open(folder);
        store.SetSetting("pow.post", "0");
        store.SetSetting("pow.identity", "0");
        var sync = new CommunitySync(new StoreSyncSource(store));
        sync.Carry("bench");
        var listener = new PeerListener(new IPEndPoint(IPAddress.Loopback, 0), new NoTorrents()) { HandshakeHandler = sync };
        listener.Start();
        sync.Start();
        return new Node(store, sync, listener);
    }

    public async ValueTask DisposeAsync()
    {
        await Sync.DisposeAsync();
        await Listener.DisposeAsync();
        Store.Dispose();
    }

    private sealed class NoTorrents : ITorrentCatalog
    {
        public ValueTask<SeedableTorrent?> FindAsync(InfoHash infoHash, CancellationToken cancellationToken) => ValueTask.FromResult<SeedableTorrent?>(null);
    }
}
