using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Upseed.Bencode;
using Upseed.Crypto;
using Upseed.Dht.Items;
using Upseed.Dht.Krpc;
using Upseed.Dht.Node;
using Upseed.Dht.Tests.Routing;
using Xunit.Abstractions;

namespace Upseed.Dht.Tests.Node;

/// <summary>
/// A node on loopback UDP fed random, mutated, ill-typed, oversized and forged datagrams: every reply is a KRPC
/// response or an error with a BEP 5/44 code, the expected code where the input is known, nothing for junk, and the node
/// keeps answering pings.
/// </summary>
public sealed class DhtNodeFuzzTests(ITestOutputHelper output)
{
    private static readonly int[] s_knownCodes = [201, 202, 203, 204, 205, 206, 207, 301, 302];

    private static readonly DhtNodeOptions s_options = new()
    {
        QueryTimeout = TimeSpan.FromSeconds(10),
        RateLimitPerSecond = 1_000_000,
        RateLimitBurst = 1_000_000,
        MaintenanceInterval = TimeSpan.Zero,
    };

    [Fact]
    public Task Fuzz3000_RepliesAreResponsesOrKnownErrors_NodeKeepsAnswering() => FuzzAsync(3000, seed: 4243);

    [Fact]
    [Trait("Category", "LongFuzz")]
    public Task Fuzz100000_RepliesAreResponsesOrKnownErrors_NodeKeepsAnswering() => FuzzAsync(100_000, seed: 90210);

    [Fact]
    public async Task KnownBadQueries_GetTheirErrorCode_JunkIsDropped()
    {
        var clock = new ManualTimeProvider();
        await using var node = new DhtNode(new UdpDhtSocket(new IPEndPoint(IPAddress.Loopback, 0)), NodeId.Random(), clock, s_options);
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var id = NodeId.Random().ToArray();

        Assert.Equal(203, await ErrorCodeAsync(udp, node, Query("get_peers", new BDictionary().Set("id", id).Set("info_hash", 5))));
        Assert.Equal(203, await ErrorCodeAsync(udp, node, Query("find_node", new BDictionary().Set("id", new byte[19]).Set("target", new byte[20]))));
        Assert.Equal(203, await ErrorCodeAsync(udp, node, Query("ping", null)));
        Assert.Equal(204, await ErrorCodeAsync(udp, node, Query("sample_everything", new BDictionary().Set("id", id))));
        Assert.Equal(203, await ErrorCodeAsync(udp, node, Query("announce_peer", new BDictionary()
            .Set("id", id).Set("info_hash", new byte[20]).Set("port", 6881).Set("token", new byte[8]))));
        Assert.Equal(203, await ErrorCodeAsync(udp, node, Query("put", new BDictionary()
            .Set("id", id).Set("token", new byte[8]).Set("v", new BString("forged token")))));
        Assert.Equal(205, await ErrorCodeAsync(udp, node, Query("put", new BDictionary()
            .Set("id", id).Set("token", new byte[8]).Set("v", new BString(new byte[1000])))));

        var key = Ed25519.FromSeed(new byte[32]);
        var value = DhtValue.FromString("x");
        var goodToken = await TokenAsync(udp, node, id);
        var signed = key.Sign(MutableItem.SignedBytes([], 3, value));
        BDictionary MutablePut(long seq, byte[] sig, long? cas = null, byte[]? salt = null)
        {
            var a = new BDictionary().Set("id", id).Set("token", goodToken).Set("v", BencodeDecoder.Decode(value))
                .Set("k", key.PublicKey).Set("seq", seq).Set("sig", sig);
            if (cas is { } c)
            {
                a.Set("cas", c);
            }

            if (salt is not null)
            {
                a.Set("salt", salt);
            }

            return a;
        }

        Assert.Equal(206, await ErrorCodeAsync(udp, node, Query("put", MutablePut(3, new byte[64]))));
        Assert.Equal(207, await ErrorCodeAsync(udp, node, Query("put", MutablePut(3, signed, salt: new byte[65]))));
        Assert.Equal(203, await ErrorCodeAsync(udp, node, Query("put", MutablePut(3, signed[..63]))));
        Assert.Null((await ExchangeAsync(udp, node, Query("put", MutablePut(3, signed))))!.Error);
        Assert.Equal(301, await ErrorCodeAsync(udp, node, Query("put", MutablePut(4, key.Sign(MutableItem.SignedBytes([], 4, value)), cas: 2))));
        Assert.Equal(302, await ErrorCodeAsync(udp, node, Query("put", MutablePut(2, key.Sign(MutableItem.SignedBytes([], 2, value))))));

        // Expired token: two rotations later it is refused.
        clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(203, await ErrorCodeAsync(udp, node, Query("put", MutablePut(9, key.Sign(MutableItem.SignedBytes([], 9, value))))));

        // Junk gets no reply: the next reply on this socket is the pong that follows it.
        byte[][] junk =
        [
            [.. "d1:ti1e1:y1:qe"u8], // t is not a string
            [.. "d1:t2:aa1:y1:xe"u8], // unknown y
            [.. "d1:rd2:id20:"u8, .. new byte[20], .. "e1:t4:zzzz1:y1:re"u8], // a response nobody asked for
            [.. "d1:eli201e4:oopse1:t2:aa1:y1:ee"u8], // an error nobody asked for
            new BDictionary().Set("t", "aa").Set("y", "q").Set("q", "ping").Set("a", new BDictionary().Set("id", id).Set("pad", new byte[1600])).Encode(),
            [.. "li1ei2ee"u8],
            [.. "d1:t2:aa"u8],
            [],
        ];
        foreach (var datagram in junk)
        {
            await udp.SendAsync(datagram, node.EndPoint);
            var next = await ExchangeAsync(udp, node, Query("ping", new BDictionary().Set("id", id), tid: "PP"));
            Assert.NotNull(next);
            Assert.Equal("PP"u8.ToArray(), next.TransactionId.ToArray());
            Assert.Equal(KrpcMessageKind.Response, next.Kind);
        }
    }

    private static async Task<byte[]> TokenAsync(UdpClient udp, DhtNode node, byte[] id)
    {
        var reply = await ExchangeAsync(udp, node, Query("get", new BDictionary().Set("id", id).Set("target", new byte[20])));
        Assert.True(KrpcCodec.TryReadResponse(reply!, QueryKind.Get, out var response, out _));
        return response.Token.ToArray();
    }

    private async Task FuzzAsync(int count, int seed)
    {
        await using var node = new DhtNode(new UdpDhtSocket(new IPEndPoint(IPAddress.Loopback, 0)), NodeId.Random(), TimeProvider.System, s_options);
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        udp.Client.ReceiveBufferSize = 4 << 20;
        var id = NodeId.Random().ToArray();
        var token = await TokenAsync(udp, node, id);
        var key = Ed25519.FromSeed(new byte[32]);
        var value = DhtValue.FromString("fuzz");
        var random = new Random(seed);
        var valid = new List<BDictionary>
        {
            Query("ping", new BDictionary().Set("id", id)),
            Query("find_node", new BDictionary().Set("id", id).Set("target", new byte[20]).Set("want", new BList(new BString("n4")))),
            Query("get_peers", new BDictionary().Set("id", id).Set("info_hash", new byte[20]).Set("scrape", 1).Set("noseed", 1)),
            Query("announce_peer", new BDictionary().Set("id", id).Set("info_hash", new byte[20]).Set("port", 6881).Set("token", token).Set("seed", 1)),
            Query("get", new BDictionary().Set("id", id).Set("target", new byte[20]).Set("seq", 4)),
            Query("put", new BDictionary().Set("id", id).Set("token", token).Set("v", BencodeDecoder.Decode(value))),
            Query("put", new BDictionary().Set("id", id).Set("token", token).Set("v", BencodeDecoder.Decode(value)).Set("k", key.PublicKey)
                .Set("seq", 1).Set("salt", "s").Set("sig", key.Sign(MutableItem.SignedBytes("s"u8, 1, value))).Set("cas", 0)),
        };

        var replies = new ConcurrentBag<byte[]>();
        using var stop = new CancellationTokenSource();
        var receiver = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    replies.Add((await udp.ReceiveAsync(stop.Token)).Buffer);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });

        var kinds = new int[6];
        for (var i = 0; i < count; i++)
        {
            var kind = random.Next(6);
            kinds[kind]++;
            var template = valid[random.Next(valid.Count)].Encode();
            byte[] datagram = kind switch
            {
                0 => RandomBytes(random, random.Next(0, 1500)),
                1 => Mutate(random, template),
                2 => template[..random.Next(template.Length)],
                3 => WrongType(random, valid[random.Next(valid.Count)]),
                4 => RandomBytes(random, random.Next(1501, 60_000)), // huge: refused before decoding
                _ => Forge(random, valid[random.Next(valid.Count)]),
            };
            await udp.SendAsync(datagram, node.EndPoint);
            if (i % 200 == 199)
            {
                await Task.Delay(5); // let the node drain, so the test measures the node rather than socket buffers
            }
        }

        // The node answers pings after the storm (retried: the kernel may drop one under the burst).
        await using var client = new DhtNode(new UdpDhtSocket(new IPEndPoint(IPAddress.Loopback, 0)), NodeId.Random(), TimeProvider.System, s_options);
        KrpcResponse? pong = null;
        for (var attempt = 0; attempt < 5 && pong is null; attempt++)
        {
            try
            {
                pong = await client.PingAsync(node.EndPoint);
            }
            catch (TimeoutException)
            {
                // try again
            }
        }

        await stop.CancelAsync();
        await receiver;

        Assert.NotNull(pong);
        var errors = new Dictionary<int, int>();
        foreach (var reply in replies)
        {
            Assert.True(reply.Length <= 1500, $"reply of {reply.Length} bytes");
            Assert.True(KrpcCodec.TryDecode(reply, out var message, out _), "every reply is valid KRPC");
            if (message.Kind == KrpcMessageKind.Query)
            {
                // The node's own ping of a newcomer that queried it.
                Assert.IsType<PingQuery>(message.Query);
                continue;
            }

            if (message.Kind == KrpcMessageKind.Error)
            {
                Assert.Contains(message.Error!.Code, s_knownCodes);
                errors[message.Error.Code] = errors.GetValueOrDefault(message.Error.Code) + 1;
            }
        }

        output.WriteLine(
            $"{count} datagrams (random/mutated/truncated/wrong-type/huge/forged: {string.Join('/', kinds)}): " +
            $"{replies.Count} replies, errors {string.Join(", ", errors.OrderBy(e => e.Key).Select(e => $"{e.Key}×{e.Value}"))}; " +
            $"node answered {node.QueriesAnswered}, errors {node.ErrorsSent}, dropped {node.Dropped}, items {node.StoredItemCount}");
        Assert.Contains(203, errors.Keys);
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Mutate(Random random, byte[] source)
    {
        var bytes = (byte[])source.Clone();
        for (var m = random.Next(1, 6); m > 0; m--)
        {
            bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
        }

        return bytes;
    }

    // One argument (or top-level field) replaced by a value of another type or size.
    private static byte[] WrongType(Random random, BDictionary query)
    {
        var copy = new BDictionary();
        foreach (var (k, v) in query.Entries)
        {
            copy.Set(k, v);
        }

        var a = new BDictionary();
        foreach (var (k, v) in ((BDictionary)copy.Entries.First(e => e.Key.AsSpan().SequenceEqual("a"u8)).Value).Entries)
        {
            a.Set(k, v);
        }

        BValue Junk() => random.Next(5) switch
        {
            0 => new BInteger(random.NextInt64(-5, 1L << 40)),
            1 => new BString(RandomBytes(random, random.Next(0, 70))),
            2 => new BList(new BInteger(1), new BString("x")),
            3 => new BDictionary().Set("x", 1),
            _ => new BString(RandomBytes(random, random.Next(900, 1100))),
        };

        if (random.Next(4) == 0)
        {
            copy.Set(random.Next(3) switch { 0 => "t", 1 => "y", _ => "q" }, Junk());
        }
        else
        {
            var keys = a.Entries.Select(e => e.Key).ToList();
            a.Set(keys[random.Next(keys.Count)], Junk());
            copy.Set("a", a);
        }

        return copy.Encode();
    }

    // A valid query with a forged token, a flipped signature bit, or a wrong id length.
    private static byte[] Forge(Random random, BDictionary query)
    {
        var copy = new BDictionary();
        foreach (var (k, v) in query.Entries)
        {
            copy.Set(k, v);
        }

        var a = new BDictionary();
        foreach (var (k, v) in ((BDictionary)copy.Entries.First(e => e.Key.AsSpan().SequenceEqual("a"u8)).Value).Entries)
        {
            a.Set(k, v);
        }

        a.Set("token", RandomBytes(random, random.Next(1, 21)));
        if (a.TryGetValue("sig", out var sig) && sig is BString s)
        {
            var flipped = s.Value.ToArray();
            flipped[random.Next(flipped.Length)] ^= 1;
            a.Set("sig", flipped);
        }

        copy.Set("a", a);
        return copy.Encode();
    }

    private static BDictionary Query(string method, BDictionary? arguments, string tid = "fz")
    {
        var d = new BDictionary().Set("t", tid).Set("y", "q").Set("q", method);
        if (arguments is not null)
        {
            d.Set("a", arguments);
        }

        return d;
    }

    private static async Task<KrpcMessage?> ExchangeAsync(UdpClient udp, DhtNode node, BDictionary query)
    {
        await udp.SendAsync(query.Encode(), node.EndPoint);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var reply = await udp.ReceiveAsync(timeout.Token);
            if (!KrpcCodec.TryDecode(reply.Buffer, out var message, out _))
            {
                return null;
            }

            // The node pings a newcomer that queried it (to learn whether it is reachable); that is not a reply.
            if (message.Kind != KrpcMessageKind.Query)
            {
                return message;
            }
        }
    }

    private static async Task<int> ErrorCodeAsync(UdpClient udp, DhtNode node, BDictionary query)
    {
        var reply = await ExchangeAsync(udp, node, query);
        Assert.NotNull(reply);
        Assert.Equal(KrpcMessageKind.Error, reply.Kind);
        return reply.Error!.Code;
    }
}
