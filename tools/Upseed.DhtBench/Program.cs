// DHT CPU benchmark. `cpu [--rate N] [--seconds S]` starts this program again as `serve` (one DhtNode on 127.0.0.1,
// in its own process so its CPU time is its own), sends it N queries per second of a realistic mix from 40 simulated
// nodes on 127.0.0.2..41 (each under the default 50/s per-IP limit), and reports the node's CPU time per second.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Upseed.Dht;
using Upseed.Dht.Items;
using Upseed.Dht.Krpc;
using Upseed.Dht.Node;

if (args.Length > 0 && args[0] == "serve")
{
    await using var node = new DhtNode(new UdpDhtSocket(new IPEndPoint(IPAddress.Loopback, 0)), NodeId.Random(), TimeProvider.System);
    Console.WriteLine(node.EndPoint.Port.ToString(CultureInfo.InvariantCulture));
    await Console.In.ReadLineAsync(); // the parent closes stdin to stop us
    Console.Error.WriteLine($"served: answered {node.QueriesAnswered}, errors {node.ErrorsSent}, dropped {node.Dropped}, items {node.StoredItemCount}");
    return 0;
}

if (args.Length == 0 || args[0] != "cpu")
{
    Console.Error.WriteLine("usage: Upseed.DhtBench cpu [--rate 1000] [--seconds 20]");
    return 2;
}

var rate = ArgValue("--rate", 1000);
var seconds = ArgValue("--seconds", 20);
var self = Environment.ProcessPath!;
var start = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
if (Path.GetFileNameWithoutExtension(self) == "dotnet")
{
    start.ArgumentList.Add(typeof(Program).Assembly.Location);
}

start.ArgumentList.Add("serve");
using var server = Process.Start(start)!;
var port = int.Parse((await server.StandardOutput.ReadLineAsync())!, CultureInfo.InvariantCulture);
var target = new IPEndPoint(IPAddress.Loopback, port);

const int Senders = 40;
var senders = Enumerable.Range(0, Senders).Select(i => new Sender(new IPAddress([127, 0, 0, (byte)(2 + i)]), target)).ToList();
using var stop = new CancellationTokenSource();
var receivers = senders.Select(s => s.ReceiveLoopAsync(stop.Token)).ToList();
foreach (var sender in senders)
{
    await sender.PrimeAsync(); // a first get_peers and get, for tokens
}

// Warm up (JIT, tables) for 3 s at the full rate, then measure.
var random = new Random(1);
var interval = TimeSpan.FromMilliseconds(10);
var perTick = rate / 100.0;
async Task RunAsync(TimeSpan duration)
{
    var clock = Stopwatch.StartNew();
    var sent = 0L;
    while (clock.Elapsed < duration)
    {
        var due = (long)(clock.Elapsed.TotalSeconds * rate);
        for (; sent < due; sent++)
        {
            await senders[(int)(sent % Senders)].SendOneAsync(random);
        }

        await Task.Delay(interval);
    }
}

await RunAsync(TimeSpan.FromSeconds(3));
server.Refresh();
var cpuBefore = server.TotalProcessorTime;
var repliesBefore = senders.Sum(s => s.Replies);
var sentBefore = senders.Sum(s => s.Sent);
var wall = Stopwatch.StartNew();
await RunAsync(TimeSpan.FromSeconds(seconds));
server.Refresh();
var cpu = server.TotalProcessorTime - cpuBefore;
var elapsed = wall.Elapsed.TotalSeconds;
var sentCount = senders.Sum(s => s.Sent) - sentBefore;
await Task.Delay(500);
var replies = senders.Sum(s => s.Replies) - repliesBefore;
await stop.CancelAsync();
server.StandardInput.Close();
await server.WaitForExitAsync();
var served = await server.StandardError.ReadToEndAsync();

Console.WriteLine($"mix: get_peers 35% (1 in 4 with scrape), find_node 25%, ping 15%, announce_peer 10%, get 10%, put 5% (immutable), from {Senders} source addresses");
Console.WriteLine($"sent {sentCount / elapsed:F0} queries/s for {elapsed:F1} s, replies {replies / elapsed:F0}/s ({replies * 100.0 / Math.Max(1, sentCount):F1}%)");
Console.WriteLine($"node CPU: {cpu.TotalMilliseconds / elapsed:F1} ms per second = {cpu.TotalMilliseconds / elapsed / 10:F1}% of one core, {cpu.TotalMilliseconds * 1000 / Math.Max(1, replies):F1} µs per query");
Console.Write(served);
foreach (var sender in senders)
{
    sender.Dispose();
}

return 0;

int ArgValue(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

/// <summary>One simulated remote node: its own address and id, the tokens it was given, its reply count.</summary>
internal sealed class Sender : IDisposable
{
    private readonly UdpClient _udp;
    private readonly IPEndPoint _target;
    private readonly NodeId _id = NodeId.Random();
    private readonly NodeId[] _hashes = [.. Enumerable.Range(0, 16).Select(_ => NodeId.Random())];
    private ReadOnlyMemory<byte> _token;
    private long _replies;
    private int _tid;

    public Sender(IPAddress address, IPEndPoint target)
    {
        _udp = new UdpClient(new IPEndPoint(address, 0));
        _target = target;
    }

    public long Replies => Interlocked.Read(ref _replies);

    public long Sent { get; private set; }

    public async Task PrimeAsync()
    {
        await SendAsync(new GetPeersQuery(_id, _hashes[0], [], false, false));
        for (var i = 0; i < 100 && _token.IsEmpty; i++)
        {
            await Task.Delay(10);
        }
    }

    public Task SendOneAsync(Random random)
    {
        var roll = random.Next(100);
        var hash = _hashes[random.Next(_hashes.Length)];
        KrpcQuery query = roll switch
        {
            < 35 => new GetPeersQuery(_id, hash, [], false, roll < 9),
            < 60 => new FindNodeQuery(_id, NodeId.Random(), []),
            < 75 => new PingQuery(_id),
            < 85 => new AnnouncePeerQuery(_id, hash, 6881, false, _token, random.Next(2) == 0),
            < 95 => new GetQuery(_id, hash, null),
            _ => new PutQuery(_id, _token, DhtValue.FromString($"item {random.Next(1000)}"), default, default, 0, default, null),
        };
        return SendAsync(query);
    }

    public async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            UdpReceiveResult result;
            try
            {
                result = await _udp.ReceiveAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (!KrpcCodec.TryDecode(result.Buffer, out var message, out _) || message.Kind == KrpcMessageKind.Query)
            {
                continue; // the node's own pings of newcomers
            }

            Interlocked.Increment(ref _replies);
            if (message.Kind == KrpcMessageKind.Response && KrpcCodec.TryReadResponse(message, QueryKind.GetPeers, out var response, out _))
            {
                _token = response.Token.ToArray();
            }
        }
    }

    public void Dispose() => _udp.Dispose();

    private async Task SendAsync(KrpcQuery query)
    {
        var tid = new byte[2];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(tid, (ushort)++_tid);
        await _udp.SendAsync(KrpcCodec.Encode(KrpcMessage.ForQuery(tid, query)), _target);
        Sent++;
    }
}
