using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Upseed.Node;
using Upseed.Records;
using Upseed.Store;
using Upseed.Torrent.Swarm;

namespace Upseed.Cli;

/// <summary>
/// <c>upseed bench seed</c>: the node's memory while it seeds every pinned post of the data folder, idle and under
/// load from concurrent downloaders in a second process, with libtorrent seeding N torrents beside it for comparison.
/// <c>bench seed-load</c> (hidden) is that second process.
/// </summary>
internal static class BenchSeedCommand
{
    public static Command Build(HandlerFactory handler)
    {
        var downloaders = new Option<int>("--downloaders") { Description = "Concurrent downloaders, each fetching random pinned posts", DefaultValueFactory = _ => 50 };
        var seconds = new Option<int>("--seconds") { Description = "How long the downloaders run", DefaultValueFactory = _ => 20 };
        var compare = new Option<int>("--compare-libtorrent") { Description = "Also seed this many of the posts as separate torrents in one libtorrent session (python3-libtorrent) and compare memory; 0 = skip", DefaultValueFactory = _ => 0 };
        var command = new Command("seed", "Node RSS idle and under load while seeding every pinned post (run bench gen --pin first), posts served per second, CPU per post; optionally next to libtorrent")
        {
            downloaders, seconds, compare,
        };
        command.SetAction(handler((ctx, parse) =>
        {
            var n = parse.GetValue(downloaders);
            var s = parse.GetValue(seconds);
            var lt = parse.GetValue(compare);
            if (n < 1 || s < 1 || lt < 0)
            {
                throw CliException.Usage("--downloaders and --seconds must be positive; --compare-libtorrent 0 or more.");
            }

            new SeedBench(ctx, n, s, lt).Run();
        }));
        return command;
    }

    public static Command BuildLoad(HandlerFactory handler)
    {
        var peer = new Option<string>("--peer") { Description = "The node, HOST:PORT", Required = true };
        var downloaders = new Option<int>("--downloaders") { DefaultValueFactory = _ => 50 };
        var seconds = new Option<int>("--seconds") { DefaultValueFactory = _ => 20 };
        var command = new Command("seed-load", "The downloaders of bench seed (its second process): fetch random pinned posts of the data folder from a node")
        {
            peer, downloaders, seconds,
        };
        command.Hidden = true;
        command.SetAction(handler((ctx, parse) =>
        {
            var endpoint = NodeCommands.ParseEndpoint(parse.GetValue(peer)!, "--peer");
            RunLoadAsync(ctx, endpoint, Math.Max(1, parse.GetValue(downloaders)), Math.Max(1, parse.GetValue(seconds))).GetAwaiter().GetResult();
        }));
        return command;
    }

    /// <summary>
    /// The load: every downloader fetches a random pinned post by info-hash alone (metadata by ut_metadata, then the
    /// piece) with <see cref="TorrentFetcher"/>, over and over. Prints a "ready" JSON line when it starts fetching
    /// and a report line at the end.
    /// </summary>
    private static async Task RunLoadAsync(CliContext ctx, IPEndPoint node, int downloaders, int seconds)
    {
        var ids = ctx.Store.Pins().Select(p => p.Record).Distinct().ToArray();
        if (ids.Length == 0)
        {
            throw new CliException("Nothing is pinned in this data folder; run 'upseed bench gen --posts N --pin' first.");
        }

        var fetcher = new TorrentFetcher();
        IPEndPoint[] peers = [node];
        var latencies = new List<double>[downloaders];
        var failed = 0L;
        var done = 0L;
        var errors = new System.Collections.Concurrent.ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var cpu = BenchProcess.CpuTime();
        ctx.Output.WriteLine(JsonSerializer.Serialize(new { ready = true, pinned = ids.Length }));
        ctx.Output.Flush();

        var watch = Stopwatch.StartNew();
        var end = TimeSpan.FromSeconds(seconds);
        async Task DownloaderAsync(int index)
        {
            await Task.Yield();
            var mine = latencies[index] = [];
            var random = new Random(index);
            while (watch.Elapsed < end)
            {
                var id = ids[random.Next(ids.Length)];
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    var torrent = await fetcher.FetchAsync(id, peers, cancellationToken: timeout.Token).ConfigureAwait(false);
                    if (torrent.InfoHash != id)
                    {
                        throw new InvalidDataException("fetched another torrent");
                    }

                    mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    Interlocked.Increment(ref done);
                }
                catch (Exception ex) when (ex is FetchFailedException or OperationCanceledException or InvalidDataException)
                {
                    Interlocked.Increment(ref failed);
                    errors.AddOrUpdate(ex is OperationCanceledException ? "timed out (10 s)" : ex.Message, 1, (_, c) => c + 1);
                }
            }
        }

        var tasks = Enumerable.Range(0, downloaders).Select(DownloaderAsync).ToArray();
        var all = Task.WhenAll(tasks);
        while (!all.Wait(TimeSpan.FromSeconds(5)))
        {
            ctx.Error.WriteLine($"bench seed: {watch.Elapsed.TotalSeconds:0} s, {Interlocked.Read(ref done)} posts fetched, {Interlocked.Read(ref failed)} failed");
        }

        await all.ConfigureAwait(false);
        var elapsed = watch.Elapsed.TotalSeconds;
        var sorted = latencies.SelectMany(l => l).Order().ToList();
        ctx.Output.WriteLine(JsonSerializer.Serialize(new
        {
            ok = true,
            fetched = done,
            failed,
            seconds = elapsed,
            p50Ms = BenchProcess.Percentile(sorted, 0.50),
            p90Ms = BenchProcess.Percentile(sorted, 0.90),
            p99Ms = BenchProcess.Percentile(sorted, 0.99),
            cpuSeconds = (BenchProcess.CpuTime() - cpu).TotalSeconds,
            errors = errors.OrderByDescending(e => e.Value).Take(5).Select(e => $"{e.Value}x {e.Key}").ToArray(),
        }));
    }

    /// <summary>The measuring side: the node in this process, the downloaders in a second one, then libtorrent.</summary>
    private sealed class SeedBench(CliContext ctx, int downloaders, int seconds, int libtorrentTorrents)
    {
        private static readonly TimeSpan s_sampleEvery = TimeSpan.FromMilliseconds(100);

        public void Run()
        {
            var log = ctx.Error;
            BenchProcess.FullCollect();
            var beforeNode = BenchProcess.Memory.Read();

            // The node as 'upseed node' runs it (store, PeerListener with the store's catalog, the web server for
            // /healthz), on loopback, in this process.
            var options = new NodeOptions
            {
                DataFolder = ctx.DataFolder,
                Listen = new IPEndPoint(IPAddress.Loopback, 0),
                Web = new IPEndPoint(IPAddress.Loopback, 0),
                Dht = false,
                Lsd = false,
            };
            NodeReport node;
            long posts;
            using (var app = NodeHost.Build(options, logging => logging.ClearProviders()))
            {
                app.StartAsync().GetAwaiter().GetResult();
                try
                {
                    var seeding = app.Services.GetRequiredService<SeedingService>();
                    posts = app.Services.GetRequiredService<RecordStore>().Count(RecordKind.Post);
                    log.WriteLine($"bench seed: node seeding on {seeding.Listener!.LocalEndPoint}; {posts} posts stored; measuring idle memory...");
                    node = MeasureNode(seeding);
                }
                finally
                {
                    app.StopAsync().GetAwaiter().GetResult();
                }
            }

            LibtorrentReport? lt = null;
            if (libtorrentTorrents > 0)
            {
                lt = RunLibtorrent(libtorrentTorrents);
            }

            Report(beforeNode, posts, node, lt);
        }

        private NodeReport MeasureNode(SeedingService seeding)
        {
            var listener = seeding.Listener!;
            BenchProcess.FullCollect();
            var idle = BenchProcess.Memory.Read();
            ctx.Error.WriteLine($"bench seed: idle {BenchProcess.MiB(idle.Rss):0.0} MiB; starting {downloaders} downloaders in a second process for {seconds} s...");

            using var load = BenchProcess.StartSelf(
                "the downloader process",
                ["--data", ctx.DataFolder, "bench", "seed-load", "--peer", listener.LocalEndPoint.ToString(), "--downloaders", downloaders.ToString(CultureInfo.InvariantCulture), "--seconds", seconds.ToString(CultureInfo.InvariantCulture)],
                ctx.Error);
            var ready = load.ReadReport(TimeSpan.FromMinutes(5));
            var pinned = ready.GetProperty("pinned").GetInt64();

            var cpu = BenchProcess.CpuTime();
            var sessions = listener.Counters.Sessions;
            var blocks = listener.Counters.BlocksServed;
            var errors = listener.Counters.ProtocolErrors;
            var refused = listener.Counters.ConnectionsRefused;
            var hits = seeding.Catalog.CacheHits;
            var misses = seeding.Catalog.CacheMisses;
            var samples = new List<BenchProcess.Memory>();
            using var stop = new ManualResetEventSlim();
            var sampler = new Thread(() =>
            {
                while (!stop.Wait(s_sampleEvery))
                {
                    samples.Add(BenchProcess.Memory.Read());
                }
            }) { IsBackground = true, Name = "rss sampler" };
            sampler.Start();

            var report = load.ReadReport(TimeSpan.FromSeconds(seconds + 120));
            load.WaitForExit(TimeSpan.FromSeconds(30));
            stop.Set();
            sampler.Join();
            var nodeCpu = (BenchProcess.CpuTime() - cpu).TotalSeconds;
            var counters = listener.Counters;

            ctx.Error.WriteLine("bench seed: load done; measuring idle memory again...");
            BenchProcess.FullCollect();
            var idleAfter = BenchProcess.Memory.Read();
            var gc = GC.GetGCMemoryInfo();
            return new NodeReport(
                pinned,
                idle,
                idleAfter,
                samples.Count == 0 ? idle.Rss : samples.Max(m => m.Rss),
                samples.Count == 0 ? idle.Rss : (long)samples.Average(m => m.Rss),
                GC.GetTotalMemory(forceFullCollection: false),
                gc.HeapSizeBytes,
                report.GetProperty("fetched").GetInt64(),
                report.GetProperty("failed").GetInt64(),
                report.GetProperty("seconds").GetDouble(),
                report.GetProperty("p50Ms").GetDouble(),
                report.GetProperty("p99Ms").GetDouble(),
                nodeCpu,
                report.GetProperty("cpuSeconds").GetDouble(),
                counters.Sessions - sessions,
                counters.BlocksServed - blocks,
                counters.ProtocolErrors - errors,
                counters.ConnectionsRefused - refused,
                seeding.Catalog.CacheHits - hits,
                seeding.Catalog.CacheMisses - misses,
                [.. report.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!)]);
        }

        /// <summary>The same posts (the first N pins) as N separate torrents in one libtorrent session.</summary>
        private LibtorrentReport RunLibtorrent(int count)
        {
            var folder = Directory.CreateTempSubdirectory("upseed-bench-lt-").FullName;
            try
            {
                var store = ctx.Store;
                var written = 0;
                foreach (var pin in store.Pins())
                {
                    if (written == count)
                    {
                        break;
                    }

                    if (store.TryGetBytes(pin.Record, out var bytes) && store.TryGetRecord(pin.Record, out var record) && record is not null)
                    {
                        File.WriteAllBytes(Path.Combine(folder, record.FileName), bytes);
                        written++;
                    }
                }

                if (written < count)
                {
                    ctx.Error.WriteLine($"bench seed: only {written} pinned posts to give libtorrent.");
                }

                ctx.Error.WriteLine($"bench seed: libtorrent seeding {written} posts as separate torrents...");
                using var python = BenchProcess.Child.Start(BenchProcess.Python, [BenchProcess.Script("lt_seed_many.py"), "--dir", folder], ctx.Error, "the libtorrent seeder (lt_seed_many.py)");
                python.CloseInput();
                var report = python.ReadReport(TimeSpan.FromMinutes(15));
                python.WaitForExit(TimeSpan.FromMinutes(1));
                return new LibtorrentReport(
                    report.GetProperty("torrents").GetInt32(),
                    report.GetProperty("rss_bytes").GetInt64(),
                    report.GetProperty("rss_baseline_bytes").GetInt64(),
                    report.GetProperty("seconds_to_seed").GetDouble(),
                    report.GetProperty("libtorrent").GetString() ?? "?");
            }
            finally
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (IOException)
                {
                    // A temp folder left behind is harmless.
                }
            }
        }

        private void Report(BenchProcess.Memory beforeNode, long posts, NodeReport node, LibtorrentReport? lt)
        {
            var perPost = (double)node.IdleAfter.Rss / node.Pinned;
            var ltPerTorrent = lt is null ? (double?)null : (double)(lt.Rss - lt.Baseline) / lt.Torrents;
            var ratio = ltPerTorrent / perPost;
            var postsPerSecond = node.Fetched / node.Seconds;
            var cpuPer1000 = node.Fetched == 0 ? double.NaN : node.NodeCpuSeconds * 1000 / node.Fetched;
            if (ctx.Json)
            {
                ctx.WriteJson(new
                {
                    posts,
                    pinned = node.Pinned,
                    cores = Environment.ProcessorCount,
                    rssBeforeNode = beforeNode.Rss,
                    rssIdle = node.Idle.Rss,
                    rssIdleAnon = node.Idle.Anonymous,
                    rssIdleFile = node.Idle.File,
                    rssIdleShared = node.Idle.Shared,
                    rssIdleAfterLoad = node.IdleAfter.Rss,
                    rssIdleAfterLoadAnon = node.IdleAfter.Anonymous,
                    rssIdleAfterLoadFile = node.IdleAfter.File,
                    rssIdleAfterLoadShared = node.IdleAfter.Shared,
                    rssLoadMax = node.LoadMax,
                    rssLoadMean = node.LoadMean,
                    gcHeapBytes = node.GcHeap,
                    managedBytes = node.Managed,
                    downloaders,
                    seconds = Math.Round(node.Seconds, 2),
                    postsServed = node.Fetched,
                    failed = node.Failed,
                    postsPerSecond = Math.Round(postsPerSecond, 1),
                    fetchP50Ms = Math.Round(node.P50, 2),
                    fetchP99Ms = Math.Round(node.P99, 2),
                    nodeCpuSeconds = Math.Round(node.NodeCpuSeconds, 2),
                    nodeCpuSecondsPer1000Posts = Math.Round(cpuPer1000, 3),
                    downloaderCpuSeconds = Math.Round(node.LoadCpuSeconds, 2),
                    sessions = node.Sessions,
                    blocksServed = node.Blocks,
                    protocolErrors = node.ProtocolErrors,
                    refused = node.Refused,
                    cacheHits = node.CacheHits,
                    cacheMisses = node.CacheMisses,
                    errors = node.Errors,
                    rssPerPost = Math.Round(perPost, 1),
                    libtorrent = lt is null ? null : new
                    {
                        version = lt.Version,
                        torrents = lt.Torrents,
                        rss = lt.Rss,
                        rssBaseline = lt.Baseline,
                        rssPerTorrent = Math.Round((double)lt.Rss / lt.Torrents, 1),
                        rssPerTorrentMarginal = Math.Round(ltPerTorrent!.Value, 1),
                        secondsToSeed = Math.Round(lt.SecondsToSeed, 1),
                        ratio = Math.Round(ratio!.Value, 1),
                        ratioWholeProcess = Math.Round((double)lt.Rss / lt.Torrents / perPost, 1),
                    },
                });
                return;
            }

            var o = ctx.Output;
            string M(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{BenchProcess.MiB(bytes):0.0} MiB");
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"store: {posts:N0} posts, {node.Pinned:N0} pinned (seeded); {Environment.ProcessorCount} cores"));
            o.WriteLine($"process RSS before the node started (runtime, CLI):   {M(beforeNode.Rss)}");
            o.WriteLine($"node RSS idle, full GC:                               {M(node.Idle.Rss)}  (anonymous {M(node.Idle.Anonymous)}, file-backed {M(node.Idle.File)}, shared {M(node.Idle.Shared)})");
            o.WriteLine($"node RSS under load ({downloaders} downloaders):             max {M(node.LoadMax)}, mean {M(node.LoadMean)}");
            o.WriteLine($"node RSS idle after the load, full GC:                {M(node.IdleAfter.Rss)}  (anonymous {M(node.IdleAfter.Anonymous)}, file-backed {M(node.IdleAfter.File)}, shared {M(node.IdleAfter.Shared)}; GC heap {M(node.GcHeap)}, live managed {M(node.Managed)})");
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RSS per seeded post (idle after load / pinned):       {perPost:0.0} bytes"));
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"posts served: {node.Fetched:N0} in {node.Seconds:0.0} s = {postsPerSecond:0} posts/s to {downloaders} downloaders (second process, TorrentFetcher by info-hash: metadata then piece); {node.Failed} failed; fetch p50 {node.P50:0.0} ms, p99 {node.P99:0.0} ms"));
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"node CPU: {node.NodeCpuSeconds:0.00} s = {cpuPer1000:0.000} CPU-s per 1,000 posts served (downloader process: {node.LoadCpuSeconds:0.00} s)"));
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"node counters: {node.Sessions:N0} sessions, {node.Blocks:N0} blocks, {node.ProtocolErrors} protocol errors, {node.Refused} refused; catalog cache {node.CacheHits:N0} hits, {node.CacheMisses:N0} misses"));
            foreach (var error in node.Errors)
            {
                o.WriteLine($"  fetch error: {error}");
            }

            if (lt is not null)
            {
                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"libtorrent {lt.Version}, {lt.Torrents:N0} torrents in one session: RSS {M(lt.Rss)} (session alone {M(lt.Baseline)}), {(double)lt.Rss / lt.Torrents:0} bytes per torrent, {ltPerTorrent:0} bytes per added torrent; all seeding after {lt.SecondsToSeed:0.0} s"));
                var wholeRatio = (double)lt.Rss / lt.Torrents / perPost;
                o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"memory per seeded post: libtorrent {ltPerTorrent:0} bytes (per added torrent) / Upseed {perPost:0.0} bytes (whole node RSS / posts) = {ratio:0.0}x, target >= 100x: {(ratio >= 100 ? "met" : "MISSED")} (whole process / count on both sides: {wholeRatio:0.0}x)"));
            }

            var target = posts >= 1_000_000 ? (node.IdleAfter.Rss <= 120_000_000 && node.LoadMax <= 120_000_000 ? "met" : "MISSED") : "n/a below 1,000,000 posts";
            o.WriteLine($"target node RSS <= 120 MB at 1,000,000 posts: {target}");
        }

        private sealed record NodeReport(
            long Pinned,
            BenchProcess.Memory Idle,
            BenchProcess.Memory IdleAfter,
            long LoadMax,
            long LoadMean,
            long Managed,
            long GcHeap,
            long Fetched,
            long Failed,
            double Seconds,
            double P50,
            double P99,
            double NodeCpuSeconds,
            double LoadCpuSeconds,
            long Sessions,
            long Blocks,
            long ProtocolErrors,
            long Refused,
            long CacheHits,
            long CacheMisses,
            IReadOnlyList<string> Errors);

        private sealed record LibtorrentReport(int Torrents, long Rss, long Baseline, double SecondsToSeed, string Version);
    }
}
