using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Upseed.Dht;
using Upseed.Dht.Items;
using Upseed.Dht.Node;
using Upseed.Metainfo;
using Upseed.Node;

namespace Upseed.Cli;

/// <summary>
/// <c>upseed dht get|put|peers</c>: one-shot DHT operations. Each command runs its own short-lived DHT node on an
/// ephemeral UDP port, joins through <c>--bootstrap</c> (the public routers when none is given), does its one
/// lookup, and leaves. Progress goes to stderr; the result to stdout (<c>--json</c> for machines).
/// </summary>
internal static class DhtCommands
{
    public static Command Build(HandlerFactory handler)
    {
        var dht = new Command("dht", "The Mainline DHT: read and write items (BEP 44), find a swarm's peers");
        dht.Subcommands.Add(GetCommand(handler));
        dht.Subcommands.Add(PutCommand(handler));
        dht.Subcommands.Add(PeersCommand(handler));
        return dht;
    }

    private static (Option<string[]> Bootstrap, Option<int> Timeout) CommonOptions() =>
        (new Option<string[]>("--bootstrap") { Description = "A DHT node to join through, HOST:PORT (repeatable). Default: the public routers" },
         new Option<int>("--timeout") { Description = "Give up after this many seconds", DefaultValueFactory = _ => 30 });

    private static Command GetCommand(HandlerFactory handler)
    {
        var (bootstrap, timeout) = CommonOptions();
        var key = new Option<string?>("--key") { Description = "A mutable item's public key (64 hex)" };
        var salt = new Option<string>("--salt") { Description = "The mutable item's salt (text, up to 64 bytes)", DefaultValueFactory = _ => string.Empty };
        var target = new Option<string?>("--target") { Description = "An immutable item's target (40 hex): SHA-1 of its bencoded value" };
        var command = new Command("get", "Read a DHT item (BEP 44); last line: its value (a bencoded string as its text, any other value as bencode)")
        {
            key, salt, target, bootstrap, timeout,
        };
        command.SetAction(handler((ctx, parse) =>
        {
            var keyHex = parse.GetValue(key);
            var targetHex = parse.GetValue(target);
            if ((keyHex is null) == (targetHex is null))
            {
                throw CliException.Usage("Give --key (a mutable item) or --target (an immutable item).");
            }

            // Arguments are checked before anything touches the network.
            var id = targetHex is null ? null : ParseHex(targetHex, NodeId.Size, "--target");
            var publicKey = keyHex is null ? null : ParseHex(keyHex, ItemLimits.PublicKeySize, "--key");
            var saltBytes = SaltBytes(parse.GetValue(salt)!);
            Run(ctx, parse, bootstrap, timeout, async (node, token) =>
            {
                if (id is not null)
                {
                    var immutable = await node.GetImmutableItemAsync(new NodeId(id), token);
                    if (immutable is null)
                    {
                        throw new CliException(ExitCodes.Failure, $"No node holds item {targetHex!.ToLowerInvariant()}.");
                    }

                    WriteValue(ctx, Convert.ToHexStringLower(id), null, null, immutable.Value);
                    return;
                }

                var item = await node.GetMutableItemAsync(publicKey!, saltBytes, token);
                var itemTarget = MutableItem.ComputeTarget(publicKey!, saltBytes);
                if (item is null)
                {
                    throw new CliException(ExitCodes.Failure, $"No node holds a valid item for key {Convert.ToHexStringLower(publicKey!)} and salt '{parse.GetValue(salt)}' (target {itemTarget}).");
                }

                WriteValue(ctx, itemTarget.ToString(), Convert.ToHexStringLower(publicKey!), item.Sequence, item.Value);
            });
        }));
        return command;
    }

    private static Command PutCommand(HandlerFactory handler)
    {
        var (bootstrap, timeout) = CommonOptions();
        var salt = new Option<string>("--salt") { Description = "The salt (text, up to 64 bytes)", DefaultValueFactory = _ => string.Empty };
        var value = new Option<string>("--value") { Description = "The value, stored as a bencoded string (up to 1000 bytes encoded)", Required = true };
        var asKey = new Option<string?>("--as") { Description = "The identity that signs (default: the data folder's default identity)" };
        var immutable = new Option<bool>("--immutable") { Description = "Store an immutable item instead (no key, no salt): its target is SHA-1 of the value" };
        var command = new Command("put", "Store a DHT item (BEP 44): a mutable item signed by your identity, seq = the highest found + 1 (or 1)")
        {
            salt, value, asKey, immutable, bootstrap, timeout,
        };
        command.SetAction(handler((ctx, parse) =>
        {
            byte[] encoded;
            try
            {
                encoded = DhtValue.FromString(parse.GetValue(value)!);
            }
            catch (ArgumentException ex)
            {
                throw CliException.Usage($"--value: {ex.Message}");
            }

            if (parse.GetValue(immutable))
            {
                Run(ctx, parse, bootstrap, timeout, async (node, token) =>
                {
                    var result = await node.PutImmutableItemAsync(encoded, token);
                    ReportPut(ctx, result);
                    if (ctx.Json)
                    {
                        ctx.WriteJson(new { target = result.Target.ToString(), stored = result.Stored, asked = result.Asked });
                        return;
                    }

                    ctx.Output.WriteLine($"target: {result.Target}");
                });
                return;
            }

            var saltBytes = SaltBytes(parse.GetValue(salt)!);
            var identity = ctx.Identity(parse.GetValue(asKey));
            Run(ctx, parse, bootstrap, timeout, async (node, token) =>
            {
                var result = await node.PutMutableItemAsync(identity, saltBytes, encoded, cancellationToken: token);
                ReportPut(ctx, result);
                if (ctx.Json)
                {
                    ctx.WriteJson(new { key = identity.PublicKeyHex, seq = result.Sequence, target = result.Target.ToString(), stored = result.Stored, asked = result.Asked });
                    return;
                }

                ctx.Output.WriteLine($"key: {identity.PublicKeyHex}");
                ctx.Output.WriteLine($"seq: {result.Sequence}");
            });
        }));
        return command;
    }

    private static Command PeersCommand(HandlerFactory handler)
    {
        var (bootstrap, timeout) = CommonOptions();
        var infoHash = new Argument<string>("infohash") { Description = "The swarm: an info-hash (40 hex or 32 base32) or a magnet link" };
        var command = new Command("peers", "Find a swarm's peers (BEP 5 get_peers); one HOST:PORT per line") { infoHash, bootstrap, timeout };
        command.SetAction(handler((ctx, parse) =>
        {
            var text = parse.GetValue(infoHash)!;
            InfoHash hash;
            if (InfoHash.TryParse(text, out var bare))
            {
                hash = bare;
            }
            else if (MagnetLink.TryParse(text, out var magnet, out _))
            {
                hash = magnet!.InfoHash;
            }
            else
            {
                throw CliException.Usage($"'{text}' is not an info-hash or a magnet link.");
            }

            Run(ctx, parse, bootstrap, timeout, async (node, token) =>
            {
                var lookup = await node.LookupAsync(new NodeId(hash.ToArray()), token);
                ctx.Error.WriteLine($"{lookup.Peers.Count} peer(s) from {lookup.Closest.Count} node(s), {lookup.MessagesSent} request(s).");
                if (ctx.Json)
                {
                    ctx.WriteJson(new { infoHash = hash.ToHex(), peers = lookup.Peers.Select(p => p.ToString()), nodes = lookup.Closest.Count });
                    return;
                }

                foreach (var peer in lookup.Peers)
                {
                    ctx.Output.WriteLine(peer.ToString());
                }
            });
        }));
        return command;
    }

    // Joins the DHT on an ephemeral port, runs the body, leaves. Runs synchronously, as every CLI handler does.
    private static void Run(CliContext ctx, ParseResult parse, Option<string[]> bootstrapOption, Option<int> timeoutOption, Func<DhtNode, CancellationToken, Task> body)
    {
        var seconds = Math.Max(1, parse.GetValue(timeoutOption));
        var entries = NodeCommands.ParseBootstrap(parse.GetValue(bootstrapOption), "--bootstrap") ?? NodeOptions.DefaultDhtBootstrap;
        if (entries.Count == 0)
        {
            throw CliException.Usage("--bootstrap none: a one-shot command needs a node to join through.");
        }

        var endpoints = new List<IPEndPoint>();
        foreach (var entry in entries)
        {
            try
            {
                endpoints.Add(NodeCommands.ParseEndpoint(entry, "--bootstrap"));
            }
            catch (CliException ex) when (entries.Count > 1)
            {
                ctx.Error.WriteLine($"upseed: {ex.Message} Skipped.");
            }
        }

        if (endpoints.Count == 0)
        {
            throw new CliException(ExitCodes.Failure, "No bootstrap node could be resolved.");
        }

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            RunAsync(ctx, endpoints, body, cancel.Token).GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            throw new CliException(ExitCodes.Failure, $"Gave up after {seconds} s.");
        }
        catch (SocketException ex)
        {
            throw new CliException(ExitCodes.Failure, $"DHT socket: {ex.Message}");
        }
    }

    private static async Task RunAsync(CliContext ctx, List<IPEndPoint> endpoints, Func<DhtNode, CancellationToken, Task> body, CancellationToken token)
    {
        var family = endpoints[0].AddressFamily;
        var socket = new UdpDhtSocket(new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0));
        // Read-only (BEP 43): this node lives for one command, so others should not keep it in their tables and
        // send later lookups to a port nobody answers.
        await using var node = new DhtNode(socket, NodeId.Random(), TimeProvider.System, DhtNodeOptions.Default with { ReadOnly = true });
        ctx.Error.WriteLine($"Joining the DHT through {string.Join(", ", endpoints)} from udp port {socket.LocalEndPoint.Port}...");
        // A ping first: its answer makes the node good at once, even when its find_node answer carries no nodes
        // (a node that others join through and that knows nobody yet).
        var usable = endpoints.Where(e => e.AddressFamily == family).ToList();
        var answered = await Task.WhenAll(usable.Select(async endpoint =>
        {
            try
            {
                await node.PingAsync(endpoint, token);
                return true;
            }
            catch (Exception ex) when (ex is TimeoutException or DhtQueryException)
            {
                ctx.Error.WriteLine($"  {endpoint}: {ex.Message}");
                return false;
            }
        }));
        if (!answered.Any(a => a))
        {
            throw new CliException(ExitCodes.Failure, "No DHT node answered.");
        }

        var joined = await node.BootstrapAsync(usable, token);
        var known = node.GetClosest(node.Id, 1000).Count;
        if (known == 0)
        {
            throw new CliException(ExitCodes.Failure, $"No DHT node answered ({joined.MessagesSent} request(s) in the lookup).");
        }

        ctx.Error.WriteLine($"{known} node(s) known, {joined.MessagesSent} request(s).");
        await body(node, token);
    }

    private static void ReportPut(CliContext ctx, DhtPutResult result)
    {
        ctx.Error.WriteLine($"Stored on {result.Stored} of {result.Asked} node(s).");
        foreach (var error in result.Errors.DistinctBy(e => e.Code))
        {
            ctx.Error.WriteLine($"  refused: {error.Code} {error.Message}");
        }

        if (result.Stored == 0)
        {
            throw new CliException(ExitCodes.Failure, result.Asked == 0 ? "No node gave a write token." : "No node stored the item.");
        }
    }

    private static void WriteValue(CliContext ctx, string target, string? key, long? seq, ReadOnlyMemory<byte> value)
    {
        var isText = DhtValue.TryGetString(value, out var text);
        var shown = isText ? text : Encoding.UTF8.GetString(value.Span);
        if (ctx.Json)
        {
            ctx.WriteJson(new { target, key, seq, value = isText ? text : null, bencoded = Convert.ToHexStringLower(value.Span) });
            return;
        }

        if (seq is { } s)
        {
            ctx.Output.WriteLine($"seq: {s}");
        }

        ctx.Output.WriteLine(shown);
    }

    private static byte[] SaltBytes(string salt)
    {
        var bytes = Encoding.UTF8.GetBytes(salt);
        return bytes.Length <= ItemLimits.MaxSaltSize
            ? bytes
            : throw CliException.Usage($"--salt is {bytes.Length} bytes; BEP 44 allows at most {ItemLimits.MaxSaltSize}.");
    }

    private static byte[] ParseHex(string hex, int size, string option)
    {
        try
        {
            var bytes = Convert.FromHexString(hex);
            if (bytes.Length == size)
            {
                return bytes;
            }
        }
        catch (FormatException)
        {
            // Reported below.
        }

        throw CliException.Usage($"{option}: '{hex}' is not {size * 2} hex characters.");
    }
}
