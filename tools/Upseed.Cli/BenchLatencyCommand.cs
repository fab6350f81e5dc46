using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Upseed.Metainfo;
using Upseed.Node;
using Upseed.Torrent;
using Upseed.Torrent.Trackers;

namespace Upseed.Cli;

/// <summary>
/// <c>upseed bench latency</c>: how long libtorrent takes to fetch one post from our node, next to fetching the same
/// post from a libtorrent seeder, in the same run. Each side has its own local opentracker (the post's .torrent names
/// it), so the peer comes from a tracker reply and no client timer waits; every fetch is a fresh libtorrent session,
/// timed from adding the torrent to its completion (tools/bench/lt_fetch_timed.py).
/// </summary>
internal static class BenchLatencyCommand
{
    private const string Opentracker = "/usr/bin/opentracker";

    public static Command Build(HandlerFactory handler)
    {
        var runs = new Option<int>("--runs") { Description = "Fetches from each seeder", DefaultValueFactory = _ => 20 };
        var id = new Option<string?>("--id") { Description = "The post to fetch (default: the first pinned post)" };
        var command = new Command("latency", "Median time for libtorrent to fetch a post from our node vs from libtorrent, peers from local opentrackers (needs python3-libtorrent, opentracker)")
        {
            runs, id,
        };
        command.SetAction(handler((ctx, parse) =>
        {
            var n = parse.GetValue(runs);
            if (n < 1)
            {
                throw CliException.Usage("--runs must be positive.");
            }

            RunAsync(ctx, n, parse.GetValue(id)).GetAwaiter().GetResult();
        }));
        return command;
    }

    private static async Task RunAsync(CliContext ctx, int runs, string? requested)
    {
        var store = ctx.Store;
        InfoHash id;
        if (requested is not null)
        {
            id = ctx.ResolveId(requested);
        }
        else
        {
            id = store.Pins().Select(p => p.Record).FirstOrDefault(p => store.TryGetRecord(p, out var r) && r is not null);
            if (id == default)
            {
                throw new CliException("Nothing is pinned in this data folder; run 'upseed bench gen --posts N --pin' first.");
            }
        }

        if (!store.TryGetPinnedBytes(id, out var bytes) || !store.TryGetRecord(id, out var record) || record is null)
        {
            throw new CliException($"{id} is not a pinned record here; the node would not seed it.");
        }

        var folder = Directory.CreateTempSubdirectory("upseed-bench-latency-").FullName;
        try
        {
            await using var ours = await TrackerProcess.StartAsync(Path.Combine(folder, "tracker-ours"), id).ConfigureAwait(false);
            await using var theirs = await TrackerProcess.StartAsync(Path.Combine(folder, "tracker-lt"), id).ConfigureAwait(false);

            var seedFolder = Directory.CreateDirectory(Path.Combine(folder, "seed")).FullName;
            await File.WriteAllBytesAsync(Path.Combine(seedFolder, record.FileName), bytes).ConfigureAwait(false);
            var oursTorrent = Path.Combine(folder, "ours.torrent");
            var ltTorrent = Path.Combine(folder, "libtorrent.torrent");
            await File.WriteAllBytesAsync(oursTorrent, SingleFileTorrent.BuildTorrentFile(record.FileName, bytes, [ours.AnnounceUrl])).ConfigureAwait(false);
            await File.WriteAllBytesAsync(ltTorrent, SingleFileTorrent.BuildTorrentFile(record.FileName, bytes, [theirs.AnnounceUrl])).ConfigureAwait(false);

            var options = new NodeOptions
            {
                DataFolder = ctx.DataFolder,
                Listen = new IPEndPoint(IPAddress.Loopback, 0),
                Web = new IPEndPoint(IPAddress.Loopback, 0),
                Dht = false,
                Lsd = false,
            };
            await using var app = NodeHost.Build(options, logging => logging.ClearProviders());
            await app.StartAsync().ConfigureAwait(false);
            var listener = app.Services.GetRequiredService<SeedingService>().Listener!;

            using var seeder = BenchProcess.Child.Start(BenchProcess.Python, [BenchProcess.Script("lt_seed_many.py"), "--torrent", ltTorrent, "--save", seedFolder, "--hold"], null, "the libtorrent seeder (lt_seed_many.py)");
            var seeding = seeder.ReadReport(TimeSpan.FromMinutes(1));
            var seederPort = seeding.GetProperty("port").GetInt32();

            // Both seeders are announced the same way (the libtorrent seeder also announces itself).
            using var http = HttpTrackerClient.CreateHttpClient();
            var trackers = new HttpTrackerClient(http);
            await trackers.AnnounceAsync(new Uri(ours.AnnounceUrl), new AnnounceRequest(id, listener.PeerId, listener.LocalEndPoint.Port, 0, 0, 0) { Event = AnnounceEvent.Started }).ConfigureAwait(false);
            await trackers.AnnounceAsync(new Uri(theirs.AnnounceUrl), new AnnounceRequest(id, PeerId.CreateRandom(), seederPort, 0, 0, 0) { Event = AnnounceEvent.Started }).ConfigureAwait(false);
            ctx.Error.WriteLine($"bench latency: post {id} ({bytes.Length} bytes); node on {listener.LocalEndPoint}, libtorrent seeder on 127.0.0.1:{seederPort}; {runs} fetches from each...");

            var fetchFolder = Directory.CreateDirectory(Path.Combine(folder, "fetch")).FullName;
            using var fetcher = BenchProcess.Child.Start(
                BenchProcess.Python,
                [BenchProcess.Script("lt_fetch_timed.py"), "--torrent", "ours=" + oursTorrent, "--torrent", "libtorrent=" + ltTorrent, "--save", fetchFolder, "--runs", runs.ToString(CultureInfo.InvariantCulture)],
                ctx.Error,
                "the libtorrent fetcher (lt_fetch_timed.py)");
            var report = fetcher.ReadReport(TimeSpan.FromSeconds(60 + ((runs + 1) * 70)));
            seeder.CloseInput();
            var sessions = listener.Counters.Sessions;
            await app.StopAsync().ConfigureAwait(false);

            var o = Summarise(report.GetProperty("runs").GetProperty("ours"));
            var l = Summarise(report.GetProperty("runs").GetProperty("libtorrent"));
            var version = report.GetProperty("libtorrent").GetString();
            var ratio = o.Median / l.Median;
            if (ctx.Json)
            {
                ctx.WriteJson(new { post = id.ToHex(), bytes = bytes.Length, runs, libtorrent = version, ours = o, fromLibtorrent = l, ratio = Math.Round(ratio, 3), nodeSessions = sessions });
                return;
            }

            var w = ctx.Output;
            w.WriteLine($"libtorrent {version} fetching one post ({bytes.Length} bytes) on loopback, peer from a local opentracker, fresh session per fetch, {runs} runs each after one warm-up:");
            w.WriteLine(Row("from the Upseed node", o));
            w.WriteLine(Row("from libtorrent", l));
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio (median, node / libtorrent): {ratio:0.00} (target <= 0.25: {(ratio <= 0.25 ? "met" : "MISSED")}); the node answered {sessions} sessions"));
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

    private static string Row(string name, Summary s) => string.Create(
        CultureInfo.InvariantCulture,
        $"  {name,-22} median {s.Median,6:0.0} ms  p90 {s.P90,6:0.0} ms  min {s.Min,6:0.0} ms  max {s.Max,6:0.0} ms  (median: tracker reply at {s.TrackerMedian:0.0} ms, peer connected at {s.ConnectMedian:0.0} ms)");

    private static Summary Summarise(JsonElement runs)
    {
        static List<double> Sorted(JsonElement runs, string field) =>
            [.. runs.EnumerateArray().Select(r => r.GetProperty(field)).Where(v => v.ValueKind == JsonValueKind.Number).Select(v => v.GetDouble()).Order()];
        var ms = Sorted(runs, "ms");
        return new Summary(
            Math.Round(BenchProcess.Percentile(ms, 0.5), 2),
            Math.Round(BenchProcess.Percentile(ms, 0.9), 2),
            Math.Round(ms[0], 2),
            Math.Round(ms[^1], 2),
            Math.Round(BenchProcess.Percentile(Sorted(runs, "tracker_ms"), 0.5), 2),
            Math.Round(BenchProcess.Percentile(Sorted(runs, "connect_ms"), 0.5), 2));
    }

    private sealed record Summary(double Median, double P90, double Min, double Max, double TrackerMedian, double ConnectMedian);

    /// <summary>
    /// Debian's opentracker on a free loopback port. Debian builds it in whitelist mode: started as root it chroots to
    /// its folder, drops to "nobody" and reads the whitelist relative to the folder, which must be readable by others.
    /// </summary>
    private sealed class TrackerProcess : IAsyncDisposable
    {
        private readonly BenchProcess.Child _process;

        private TrackerProcess(BenchProcess.Child process, int port)
        {
            _process = process;
            AnnounceUrl = $"http://127.0.0.1:{port}/announce";
        }

        public string AnnounceUrl { get; }

        public static async Task<TrackerProcess> StartAsync(string folder, InfoHash allowed)
        {
            if (!File.Exists(Opentracker))
            {
                throw new CliException($"{Opentracker} is missing: apt-get install opentracker.");
            }

            Directory.CreateDirectory(folder);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
            }

            await File.WriteAllTextAsync(Path.Combine(folder, "whitelist"), allowed.ToHex() + "\n").ConfigureAwait(false);
            int port;
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                port = ((IPEndPoint)probe.LocalEndpoint).Port;
            }

            var text = port.ToString(CultureInfo.InvariantCulture);
            var process = BenchProcess.Child.Start(Opentracker, ["-i", "127.0.0.1", "-p", text, "-P", text, "-d", folder, "-w", "whitelist"], null);
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (true)
            {
                try
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(IPAddress.Loopback, port).ConfigureAwait(false);
                    return new TrackerProcess(process, port);
                }
                catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
                {
                    await Task.Delay(50).ConfigureAwait(false);
                }
                catch (SocketException)
                {
                    var error = process.Error;
                    process.Dispose();
                    throw new CliException($"opentracker did not start on port {port}: {error}");
                }
            }
        }

        public ValueTask DisposeAsync()
        {
            _process.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
