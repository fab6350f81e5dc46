using System.CommandLine;
using System.Net;
using Upseed.Metainfo;
using Upseed.Node;
using Upseed.Store;
using Upseed.Torrent.Swarm;

namespace Upseed.Cli;

/// <summary><c>upseed fetch</c> and <c>upseed node</c>: the BitTorrent side.</summary>
internal static class NodeCommands
{
    public static IEnumerable<Command> Build(HandlerFactory handler)
    {
        yield return FetchCommand(handler);
        yield return NodeCommand(handler);
    }

    internal static IPEndPoint ParseEndpoint(string text, string option)
    {
        if (IPEndPoint.TryParse(text, out var endpoint) && endpoint.Port != 0)
        {
            return endpoint;
        }

        var colon = text.LastIndexOf(':');
        if (colon > 0 && int.TryParse(text.AsSpan(colon + 1), System.Globalization.CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536)
        {
            var host = text[..colon];
            try
            {
                var address = Dns.GetHostAddresses(host).FirstOrDefault()
                    ?? throw CliException.Usage($"{option}: cannot resolve {host}.");
                return new IPEndPoint(address, port);
            }
            catch (System.Net.Sockets.SocketException)
            {
                throw CliException.Usage($"{option}: cannot resolve {host}.");
            }
        }

        throw CliException.Usage($"{option}: '{text}' is not HOST:PORT.");
    }

    /// <summary>
    /// Bootstrap entries as given: null when none were given (the public routers), empty for <c>none</c>, else each
    /// HOST:PORT checked for shape (names are resolved when the node starts, so a box can boot before its DNS).
    /// </summary>
    internal static IReadOnlyList<string>? ParseBootstrap(string[]? entries, string option)
    {
        if (entries is null || entries.Length == 0)
        {
            return null;
        }

        if (entries.Any(e => string.Equals(e, "none", StringComparison.OrdinalIgnoreCase)))
        {
            if (entries.Length > 1)
            {
                throw CliException.Usage($"{option} none: an isolated node takes no other bootstrap node.");
            }

            return [];
        }

        foreach (var entry in entries)
        {
            var colon = entry.LastIndexOf(':');
            if (!IPEndPoint.TryParse(entry, out _)
                && (colon <= 0 || !int.TryParse(entry.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535))
            {
                throw CliException.Usage($"{option}: '{entry}' is not HOST:PORT.");
            }
        }

        return entries;
    }

    private static int CheckPort(int port, string option) =>
        port is >= 0 and <= 65535 ? port : throw CliException.Usage($"{option}: {port} is not a port (0 to 65535).");

    private static string CheckCommunity(string name)
    {
        if (!Upseed.Records.TextRules.IsValidCommunity(name))
        {
            throw CliException.Usage($"--community: '{name}' is not a community name (a lowercase ASCII slug).");
        }

        return name;
    }

    private static Command FetchCommand(HandlerFactory handler)
    {
        var magnet = new Argument<string>("magnet") { Description = "A magnet link (or a 40-hex info-hash)" };
        var peers = new Option<string[]>("--peer") { Description = "A peer to fetch from, HOST:PORT (repeatable)", AllowMultipleArgumentsPerToken = false };
        var timeout = new Option<int>("--timeout") { Description = "Give up after this many seconds", DefaultValueFactory = _ => 60 };
        var command = new Command("fetch", "Fetch a post by magnet link from peers, verify it as on every ingest path, store and pin it") { magnet, peers, timeout };
        command.SetAction(handler((ctx, parse) =>
        {
            var text = parse.GetValue(magnet)!;
            MagnetLink link;
            if (InfoHash.TryParse(text, out var bare))
            {
                link = new MagnetLink(bare);
            }
            else if (!MagnetLink.TryParse(text, out var parsed, out var error))
            {
                throw CliException.Usage($"Not a magnet link: {error}");
            }
            else
            {
                link = parsed!;
            }

            var endpoints = (parse.GetValue(peers) ?? []).Select(p => ParseEndpoint(p, "--peer"))
                .Concat(link.Peers.Select(p => ParseEndpoint(p, "x.pe"))).Distinct().ToList();
            if (endpoints.Count == 0)
            {
                throw CliException.Usage("No peers: give --peer HOST:PORT or a magnet link with x.pe (peer discovery comes with the DHT).");
            }

            if (ctx.Store.Contains(link.InfoHash))
            {
                ctx.Store.Pin(link.InfoHash, PinReason.Manual);
                ctx.Error.WriteLine($"upseed: {link.InfoHash} is already here; pinned.");
                ctx.Output.WriteLine(link.InfoHash.ToHex());
                return;
            }

            ctx.Error.WriteLine($"Fetching {link.InfoHash} from {endpoints.Count} peer(s)...");
            using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(timeout))));
            SeedableTorrent torrent;
            try
            {
                torrent = new TorrentFetcher().FetchAsync(link.InfoHash, endpoints, cancellationToken: cancel.Token).GetAwaiter().GetResult();
            }
            catch (FetchFailedException ex)
            {
                throw new CliException(ExitCodes.Failure, ex.Message);
            }
            catch (OperationCanceledException)
            {
                throw new CliException(ExitCodes.Failure, $"Gave up fetching {link.InfoHash} after {parse.GetValue(timeout)} s.");
            }

            if (torrent.Metainfo.IsMultiFile)
            {
                throw new CliException(ExitCodes.Rejected, "rejected: malformed: the torrent has several files; a record is one file.");
            }

            var result = ctx.Store.Ingest(torrent.Content);
            if (result.Outcome == IngestOutcome.Rejected)
            {
                throw new CliException(ExitCodes.Rejected, $"rejected: {result.Rejection}");
            }

            if (result.Id != link.InfoHash)
            {
                throw new CliException(ExitCodes.Rejected, $"rejected: inconsistent: the torrent holds record {result.Id}, not {link.InfoHash} (its file name is not the record's own).");
            }

            ctx.Store.Pin(link.InfoHash, PinReason.Manual);
            ctx.Output.WriteLine(link.InfoHash.ToHex());
        }));
        return command;
    }

    private static Command NodeCommand(HandlerFactory handler)
    {
        var listen = new Option<string>("--listen") { Description = "Peer port, ADDR:PORT", DefaultValueFactory = _ => "0.0.0.0:6881" };
        var web = new Option<string>("--web") { Description = "Web board and /healthz, ADDR:PORT", DefaultValueFactory = _ => "127.0.0.1:8080" };
        var peers = new Option<string[]>("--peer") { Description = "A peer to ask for posts, HOST:PORT (repeatable)" };
        var dht = new Option<string>("--dht") { Description = "Mainline DHT: on or off", DefaultValueFactory = _ => "on" };
        var dhtPort = new Option<int?>("--dht-port") { Description = "DHT UDP port (default: the --listen port)" };
        var bootstrap = new Option<string[]>("--dht-bootstrap")
        {
            Description = "A DHT node to join through, HOST:PORT (repeatable); 'none' for an isolated node others join through. Default: the public routers",
        };
        var lsd = new Option<string>("--lsd") { Description = "Local service discovery: on or off", DefaultValueFactory = _ => "on" };
        var communities = new Option<string[]>("--community") { Description = "A community this node carries and announces (repeatable)" };
        dht.AcceptOnlyFromAmong("on", "off");
        lsd.AcceptOnlyFromAmong("on", "off");
        var command = new Command("node", "Run the node: seed every pinned post to any BitTorrent client, find other boxes (DHT, LSD), serve /healthz; stops on Ctrl-C or SIGTERM")
        {
            listen, web, peers, dht, dhtPort, bootstrap, lsd, communities,
        };
        command.SetAction(handler((ctx, parse) =>
        {
            var options = new NodeOptions
            {
                DataFolder = ctx.DataFolder,
                Listen = ParseEndpoint(parse.GetValue(listen)!, "--listen"),
                Web = ParseEndpoint(parse.GetValue(web)!, "--web"),
                Peers = (parse.GetValue(peers) ?? []).Select(p => ParseEndpoint(p, "--peer")).ToList(),
                Dht = parse.GetValue(dht) == "on",
                DhtPort = parse.GetValue(dhtPort) is { } port ? CheckPort(port, "--dht-port") : null,
                DhtBootstrap = ParseBootstrap(parse.GetValue(bootstrap), "--dht-bootstrap"),
                Lsd = parse.GetValue(lsd) == "on",
                Communities = (parse.GetValue(communities) ?? []).Select(CheckCommunity).ToList(),
            };
            using var app = NodeHost.Build(options);
            app.Run();
        }));
        return command;
    }
}
