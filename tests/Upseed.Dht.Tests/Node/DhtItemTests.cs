using System.Net;
using System.Net.Sockets;
using System.Text;
using Upseed.Crypto;
using Upseed.Dht.Items;
using Upseed.Dht.Krpc;
using Upseed.Dht.Node;
using Upseed.Dht.Tests.Routing;
using Xunit.Abstractions;

namespace Upseed.Dht.Tests.Node;

/// <summary>BEP 44 through real nodes on loopback UDP: the storer's answers and errors, and iterative get/put.</summary>
public sealed class DhtItemTests(ITestOutputHelper output)
{
    // BEP 44 test vectors (PROTOCOLS.md §2.4).
    private static readonly byte[] s_vectorKey = Convert.FromHexString("77ff84905a91936367c01360803104f92432fcd904a43511876df5cdf3e7e548");
    private static readonly byte[] s_helloWorld = Encoding.ASCII.GetBytes("12:Hello World!");
    private static readonly byte[] s_vector1Sig = Convert.FromHexString(
        "305ac8aeb6c9c151fa120f120ea2cfb923564e11552d06a5d856091e5e853cff1260d3f39e4999684aa92eb73ffd136e6f4f3ecbfda0ce53a1608ecd7ae21f01");
    private static readonly byte[] s_vector2Sig = Convert.FromHexString(
        "6834284b6b24c3204eb2fea824d82f88883a3d95e8b4a21b8c0ded553d17d17ddf9a8a7104b1258f30bed3787e6cb896fca78c58f8e03b5f18f14951a87d9a08");

    private static readonly DhtNodeOptions s_fast = new()
    {
        QueryTimeout = TimeSpan.FromSeconds(10),
        RateLimitPerSecond = 100_000,
        RateLimitBurst = 100_000,
    };

    private static DhtNode Start(TimeProvider? clock = null, DhtNodeOptions? options = null) =>
        new(new UdpDhtSocket(new IPEndPoint(IPAddress.Loopback, 0)), NodeId.Random(), clock ?? TimeProvider.System, options ?? s_fast);

    [Fact]
    public async Task Bep44Vector1_PutToStorer_GetReturnsKSeqSigV()
    {
        await using var storer = Start();
        await using var client = Start();
        var item = new MutableItem(s_vectorKey, default, 1, s_helloWorld, s_vector1Sig);
        var token = (await client.GetAsync(storer.EndPoint, item.Target)).Token;

        await client.PutAsync(storer.EndPoint, token, item);
        var got = await client.GetAsync(storer.EndPoint, NodeIdFromHex("4a533d47ec9c7d95b1ad75f576cffc641853b750"));

        Assert.Equal(s_vectorKey, got.PublicKey.ToArray());
        Assert.Equal(1, got.Sequence);
        Assert.Equal(s_vector1Sig, got.Signature.ToArray());
        Assert.Equal(s_helloWorld, got.Value.ToArray());
        Assert.False(got.Token.IsEmpty);
    }

    [Fact]
    public async Task Bep44Vector2_Salted_StoredUnderSaltedTarget()
    {
        await using var storer = Start();
        await using var client = Start();
        var item = new MutableItem(s_vectorKey, "foobar"u8.ToArray(), 1, s_helloWorld, s_vector2Sig);
        var token = (await client.GetAsync(storer.EndPoint, item.Target)).Token;

        await client.PutAsync(storer.EndPoint, token, item);

        var got = await client.GetAsync(storer.EndPoint, NodeIdFromHex("411eba73b6f087ca51a3795d9c8c938d365e32c1"));
        Assert.Equal(s_vector2Sig, got.Signature.ToArray());
        var unsalted = await client.GetAsync(storer.EndPoint, NodeIdFromHex("4a533d47ec9c7d95b1ad75f576cffc641853b750"));
        Assert.True(unsalted.Value.IsEmpty);
    }

    [Fact]
    public async Task Bep44Vector3_ImmutablePut_StoredUnderSha1OfValue()
    {
        await using var storer = Start();
        await using var client = Start();
        var item = new ImmutableItem(s_helloWorld);
        var target = NodeIdFromHex("e5f96f6f38320f0f33959cb4d3d656452117aadb");
        var first = await client.GetAsync(storer.EndPoint, target);
        Assert.True(first.Value.IsEmpty);
        Assert.Null(first.Sequence);

        await client.PutAsync(storer.EndPoint, first.Token, item);

        var got = await client.GetAsync(storer.EndPoint, target);
        Assert.Equal(s_helloWorld, got.Value.ToArray());
        Assert.True(got.PublicKey.IsEmpty);
        Assert.Null(got.Sequence);
        Assert.Equal(1, storer.StoredItemCount);
    }

    [Fact]
    public async Task GetWithSeq_NotNewer_OmitsKVSig_ButNewerIncludesThem()
    {
        await using var storer = Start();
        await using var client = Start();
        var item = new MutableItem(s_vectorKey, default, 1, s_helloWorld, s_vector1Sig);
        await client.PutAsync(storer.EndPoint, (await client.GetAsync(storer.EndPoint, item.Target)).Token, item);

        var same = await client.GetAsync(storer.EndPoint, item.Target, sequence: 1);
        var older = await client.GetAsync(storer.EndPoint, item.Target, sequence: 0);

        Assert.Equal(1, same.Sequence);
        Assert.True(same.Value.IsEmpty);
        Assert.True(same.PublicKey.IsEmpty);
        Assert.True(same.Signature.IsEmpty);
        Assert.Equal(s_helloWorld, older.Value.ToArray());
    }

    [Fact]
    public async Task MutablePutRules_206_301_302_AndEqualSeqRefreshes()
    {
        await using var storer = Start();
        await using var client = Start();
        var key = Ed25519.FromSeed(new byte[32]);
        var salt = "feed"u8.ToArray();
        var v5 = MutableItem.Create(key, salt, 5, DhtValue.FromString("five"));
        var token = (await client.GetAsync(storer.EndPoint, v5.Target)).Token;
        await client.PutAsync(storer.EndPoint, token, v5);

        // Same seq and value: a refresh, accepted.
        await client.PutAsync(storer.EndPoint, token, v5);

        var forged = new MutableItem(key.PublicKey, salt, 6, DhtValue.FromString("six"), new byte[64]);
        Assert.Equal(KrpcErrorCode.InvalidSignature, (await PutErrorAsync(client, storer, token, forged)).Code);

        var lower = MutableItem.Create(key, salt, 4, DhtValue.FromString("four"));
        Assert.Equal(KrpcErrorCode.SequenceTooLow, (await PutErrorAsync(client, storer, token, lower)).Code);

        var sameSeqOtherValue = MutableItem.Create(key, salt, 5, DhtValue.FromString("FIVE"));
        Assert.Equal(KrpcErrorCode.SequenceTooLow, (await PutErrorAsync(client, storer, token, sameSeqOtherValue)).Code);

        var v6 = MutableItem.Create(key, salt, 6, DhtValue.FromString("six"));
        Assert.Equal(KrpcErrorCode.CasMismatch, (await PutErrorAsync(client, storer, token, v6, cas: 4)).Code);

        await client.PutAsync(storer.EndPoint, token, v6, cas: 5);
        var got = await client.GetAsync(storer.EndPoint, v6.Target);
        Assert.Equal(6, got.Sequence);
        Assert.True(DhtValue.TryGetString(got.Value, out var text));
        Assert.Equal("six", text);
    }

    [Fact]
    public async Task PutWithForgedOrExpiredToken_Gets203()
    {
        var clock = new ManualTimeProvider();
        await using var storer = Start(clock);
        await using var client = Start(clock);
        var item = new ImmutableItem(s_helloWorld);

        Assert.Equal(KrpcErrorCode.Protocol, (await PutErrorAsync(client, storer, new byte[8], item)).Code);

        var token = (await client.GetAsync(storer.EndPoint, item.Target)).Token;
        clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(KrpcErrorCode.Protocol, (await PutErrorAsync(client, storer, token, item)).Code);
        Assert.Equal(0, storer.StoredItemCount);
    }

    [Fact]
    public async Task RawPuts_ValueTooBig205_SaltTooBig207_NonCanonical203()
    {
        await using var storer = Start();
        await using var client = Start();
        var token = (await client.GetAsync(storer.EndPoint, NodeId.Random())).Token;
        var big = DhtValueOfLength(1001);
        var ok = DhtValueOfLength(1000);
        var key = Ed25519.FromSeed(new byte[32]);

        Assert.Equal(KrpcErrorCode.ValueTooBig, await RawErrorAsync(storer, new PutQuery(NodeId.Random(), token, big, default, default, 0, default, null)));
        var longSalt = new byte[65];
        var signedLongSalt = key.Sign(MutableItem.SignedBytes(longSalt, 1, s_helloWorld));
        Assert.Equal(
            KrpcErrorCode.SaltTooBig,
            await RawErrorAsync(storer, new PutQuery(NodeId.Random(), token, s_helloWorld, key.PublicKey, longSalt, 1, signedLongSalt, null)));
        // The encoder refuses to write unsorted keys, so this datagram is spelled out by hand.
        byte[] unsorted =
        [
            .. "d1:ad2:id20:"u8, .. NodeId.Random().ToArray(), .. "5:token"u8, .. Encoding.ASCII.GetBytes($"{token.Length}:"),
            .. token.ToArray(), .. "1:vd1:bi1e1:ai2eee1:q3:put1:t2:\u0007\u00071:y1:qe"u8,
        ];
        Assert.Equal(KrpcErrorCode.Protocol, await RawErrorAsync(storer, unsorted));
        Assert.Equal(
            KrpcErrorCode.Protocol,
            await RawErrorAsync(storer, new PutQuery(NodeId.Random(), token, s_helloWorld, key.PublicKey, default, -1, new byte[64], null)));

        // Exactly 1000 bencoded bytes is accepted (BEP 44: reject only what is larger).
        await client.PutAsync(storer.EndPoint, token, new ImmutableItem(ok));
        Assert.Equal(1, storer.StoredItemCount);
    }

    [Fact]
    public async Task StoredItem_ExpiresAfterItemLifetime_UnlessReput()
    {
        var clock = new ManualTimeProvider();
        await using var storer = Start(clock, s_fast with { ItemLifetime = TimeSpan.FromHours(2) });
        await using var client = Start(clock);
        var kept = new ImmutableItem(DhtValue.FromString("kept"));
        var dropped = new ImmutableItem(DhtValue.FromString("dropped"));
        var token = (await client.GetAsync(storer.EndPoint, kept.Target)).Token;
        await client.PutAsync(storer.EndPoint, token, kept);
        await client.PutAsync(storer.EndPoint, token, dropped);

        clock.Advance(TimeSpan.FromMinutes(70));
        token = (await client.GetAsync(storer.EndPoint, kept.Target)).Token;
        await client.PutAsync(storer.EndPoint, token, kept); // the owner's hourly re-put
        clock.Advance(TimeSpan.FromMinutes(70));

        Assert.False((await client.GetAsync(storer.EndPoint, kept.Target)).Value.IsEmpty);
        Assert.True((await client.GetAsync(storer.EndPoint, dropped.Target)).Value.IsEmpty);
    }

    [Fact]
    public async Task IterativePutAndGet_OverTwentyNodes_MutableImmutableAndSigner()
    {
        var nodes = await StartNetworkAsync(20);
        try
        {
            var key = Ed25519.Generate();
            var salt = "profile"u8.ToArray();

            var first = await nodes[3].PutMutableItemAsync(key, salt, DhtValue.FromString("hello"));
            Assert.Equal(1, first.Sequence);
            Assert.True(first.Stored >= 4, $"stored at {first.Stored} of {first.Asked}");

            var got = await nodes[17].GetMutableItemAsync(key.PublicKey, salt);
            Assert.NotNull(got);
            Assert.Equal(1, got.Sequence);
            Assert.True(DhtValue.TryGetString(got.Value, out var text));
            Assert.Equal("hello", text);
            Assert.True(got.VerifySignature());

            // No seq given: one more than the newest found. The signer callback keeps the key with the caller.
            var second = await nodes[9].PutMutableItemAsync(key.PublicKey, m => key.Sign(m), salt, DhtValue.FromString("world"));
            Assert.Equal(2, second.Sequence);
            var latest = await nodes[0].GetMutableItemAsync(key.PublicKey, salt);
            Assert.Equal(2, latest!.Sequence);
            Assert.Equal(DhtValue.FromString("world"), latest.Value.ToArray());

            // A stale put is refused by every storer holding seq 2.
            var stale = await nodes[5].PutMutableItemAsync(key, salt, DhtValue.FromString("old"), sequence: 1);
            Assert.True(stale.Stored < stale.Asked);
            Assert.Contains(stale.Errors, e => e.Code == KrpcErrorCode.SequenceTooLow);

            var pointer = TorrentPointer.Encode(NodeId.Random());
            var immutable = await nodes[12].PutImmutableItemAsync(pointer);
            Assert.True(immutable.Stored >= 4);
            var fetched = await nodes[1].GetImmutableItemAsync(immutable.Target);
            Assert.Equal(pointer, fetched!.Value.ToArray());

            Assert.Null(await nodes[2].GetMutableItemAsync(Ed25519.Generate().PublicKey, salt));
            Assert.Null(await nodes[2].GetImmutableItemAsync(NodeId.Random()));
            output.WriteLine($"mutable stored at {first.Stored}/{first.Asked}, then {second.Stored}/{second.Asked}; immutable {immutable.Stored}");
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task PutMutable_SignerWithWrongKey_Throws()
    {
        await using var node = Start();
        var key = Ed25519.Generate();
        var other = Ed25519.Generate();

        await Assert.ThrowsAsync<ArgumentException>(() =>
            node.PutMutableItemAsync(key.PublicKey, m => other.Sign(m), default, DhtValue.FromString("x")));
        await Assert.ThrowsAsync<ArgumentException>(() => node.PutImmutableItemAsync("d1:bi1e1:ai2ee"u8.ToArray()));
        await Assert.ThrowsAsync<ArgumentException>(() => node.PutMutableItemAsync(key, new byte[65], DhtValue.FromString("x")));
    }

    internal static async Task<List<DhtNode>> StartNetworkAsync(int count)
    {
        var nodes = new List<DhtNode>();
        for (var i = 0; i < count; i++)
        {
            var node = Start();
            nodes.Add(node);
            if (i > 0)
            {
                await node.BootstrapAsync([nodes[i - 1].EndPoint, nodes[0].EndPoint]);
            }
        }

        foreach (var node in nodes)
        {
            await node.BootstrapAsync([nodes[^1].EndPoint]);
        }

        return nodes;
    }

    private static NodeId NodeIdFromHex(string hex) => new(Convert.FromHexString(hex));

    private static byte[] DhtValueOfLength(int length)
    {
        // "<n>:" + n bytes; for 1000/1001 total the header is 4 characters ("996:" / "997:").
        var payload = length - 4;
        return [.. Encoding.ASCII.GetBytes($"{payload}:"), .. new byte[payload]];
    }

    private static async Task<KrpcError> PutErrorAsync(DhtNode client, DhtNode storer, ReadOnlyMemory<byte> token, MutableItem item, long? cas = null)
    {
        var e = await Assert.ThrowsAsync<DhtQueryException>(() => client.PutAsync(storer.EndPoint, token, item, cas));
        return e.Error;
    }

    private static async Task<KrpcError> PutErrorAsync(DhtNode client, DhtNode storer, ReadOnlyMemory<byte> token, ImmutableItem item)
    {
        var e = await Assert.ThrowsAsync<DhtQueryException>(() => client.PutAsync(storer.EndPoint, token, item));
        return e.Error;
    }

    private static Task<int> RawErrorAsync(DhtNode storer, KrpcQuery query) =>
        RawErrorAsync(storer, KrpcCodec.Encode(KrpcMessage.ForQuery(new byte[] { 7, 7 }, query)));

    private static async Task<int> RawErrorAsync(DhtNode storer, byte[] bytes)
    {
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await udp.SendAsync(bytes, storer.EndPoint);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var reply = await udp.ReceiveAsync(timeout.Token);
        Assert.True(KrpcCodec.TryDecode(reply.Buffer, out var message, out _));
        Assert.Equal(KrpcMessageKind.Error, message.Kind);
        Assert.Equal(new byte[] { 7, 7 }, message.TransactionId.ToArray());
        return message.Error!.Code;
    }
}
