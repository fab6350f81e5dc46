using System.Net;
using Upseed.Dht;
using Upseed.Dht.Items;
using Upseed.Dht.Node;

namespace Upseed.Cli.Tests;

/// <summary>
/// <c>upseed dht get|put|peers</c> in-process against a DHT node on 127.0.0.1 (isolated: it bootstraps from nobody,
/// as <c>upseed node --dht-bootstrap none</c> runs). Each command joins through it on its own ephemeral port.
/// </summary>
public sealed class DhtCommandTests : IDisposable
{
    private readonly CliSandbox _cli = new();
    private readonly DhtNode _router = new(new UdpDhtSocket(new IPEndPoint(IPAddress.Loopback, 0)), NodeId.Random(), TimeProvider.System);

    private string Bootstrap => $"127.0.0.1:{_router.EndPoint.Port}";

    public void Dispose()
    {
        _router.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _cli.Dispose();
    }

    [Fact]
    public void Put_SignsWithTheDefaultIdentity_SeqGrows_AndGetPrintsTheValueAsTheLastLine()
    {
        var key = _cli.NewIdentity("Alice");

        var first = _cli.Ok("dht", "put", "--salt", "greeting", "--value", "Hello World!", "--bootstrap", Bootstrap);
        Assert.Contains($"key: {key}", first.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("seq: 1", first.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("Stored on 1 of 1 node(s)", first.StandardError, StringComparison.Ordinal);

        var second = _cli.Json("dht", "put", "--salt", "greeting", "--value", "Hello again", "--bootstrap", Bootstrap);
        Assert.Equal(key, second.GetProperty("key").GetString());
        Assert.Equal(2, second.GetProperty("seq").GetInt64());
        Assert.Equal(MutableItem.ComputeTarget(Convert.FromHexString(key), "greeting"u8).ToString(), second.GetProperty("target").GetString());

        var got = _cli.Ok("dht", "get", "--key", key, "--salt", "greeting", "--bootstrap", Bootstrap);
        Assert.Equal("Hello again", got.LastLine);
        Assert.Contains("seq: 2", got.StandardOutput, StringComparison.Ordinal);

        var json = _cli.Json("dht", "get", "--key", key, "--salt", "greeting", "--bootstrap", Bootstrap);
        Assert.Equal("Hello again", json.GetProperty("value").GetString());
        Assert.Equal(2, json.GetProperty("seq").GetInt64());
        Assert.Equal(Convert.ToHexStringLower("11:Hello again"u8), json.GetProperty("bencoded").GetString());
    }

    [Fact]
    public void Get_ADifferentSaltIsADifferentItem_AndAMissingItemFailsWithExitCode1()
    {
        var key = _cli.NewIdentity("Alice");
        _cli.Ok("dht", "put", "--salt", "a", "--value", "under a", "--bootstrap", Bootstrap);

        var missing = _cli.Run("dht", "get", "--key", key, "--salt", "b", "--bootstrap", Bootstrap);

        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("No node holds a valid item", missing.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_NonStringValueIsPrintedAsBencode()
    {
        var key = Upseed.Crypto.Ed25519.Generate();
        var item = MutableItem.Create(key, "x"u8.ToArray(), 5, "li1ei2ee"u8.ToArray());
        PutDirectly(item);

        var got = _cli.Ok("dht", "get", "--key", key.PublicKeyHex, "--salt", "x", "--bootstrap", Bootstrap);

        Assert.Equal("li1ei2ee", got.LastLine);
        Assert.Contains("seq: 5", got.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void PutImmutable_PrintsTheTarget_AndGetByTargetReadsIt()
    {
        var put = _cli.Json("dht", "put", "--immutable", "--value", "Hello World!", "--bootstrap", Bootstrap);

        // BEP 44 test vector 3: the immutable item 12:Hello World! has this target.
        Assert.Equal("e5f96f6f38320f0f33959cb4d3d656452117aadb", put.GetProperty("target").GetString());
        Assert.Equal("Hello World!", _cli.Ok("dht", "get", "--target", "e5f96f6f38320f0f33959cb4d3d656452117aadb", "--bootstrap", Bootstrap).LastLine);
    }

    [Fact]
    public async Task Peers_PrintsThePeersAnnouncedForTheInfoHash()
    {
        var infoHash = "0123456789abcdef0123456789abcdef01234567";
        await using (var announcer = ReadOnlyNode())
        {
            await announcer.PingAsync(_router.EndPoint);
            var (_, stored) = await announcer.AnnounceAsync(new NodeId(Convert.FromHexString(infoHash)), 7001);
            Assert.Equal(1, stored);
        }

        var peers = _cli.Ok("dht", "peers", infoHash, "--bootstrap", Bootstrap);
        Assert.Equal("127.0.0.1:7001", peers.LastLine);

        var json = _cli.Json("dht", "peers", $"magnet:?xt=urn:btih:{infoHash}", "--bootstrap", Bootstrap);
        Assert.Equal(["127.0.0.1:7001"], json.GetProperty("peers").EnumerateArray().Select(p => p.GetString()));
    }

    [Theory]
    [InlineData("get", "--salt", "s", "--bootstrap", "127.0.0.1:9")]                      // neither --key nor --target
    [InlineData("get", "--key", "abcd", "--bootstrap", "127.0.0.1:9")]                    // short key
    [InlineData("get", "--key", "0000000000000000000000000000000000000000000000000000000000000000", "--target", "0000000000000000000000000000000000000000", "--bootstrap", "127.0.0.1:9")]
    [InlineData("peers", "not-a-hash", "--bootstrap", "127.0.0.1:9")]
    [InlineData("peers", "0123456789abcdef0123456789abcdef01234567", "--bootstrap", "none")]
    [InlineData("peers", "0123456789abcdef0123456789abcdef01234567", "--bootstrap", "nonsense")]
    public void UsageErrors_ExitWithCode2(params string[] args)
    {
        var result = _cli.Run(["dht", .. args]);
        Assert.True(result.ExitCode == 2, result.Describe());
    }

    [Fact]
    public void Put_WithoutAnIdentity_IsAUsageError()
    {
        var result = _cli.Run("dht", "put", "--salt", "s", "--value", "v", "--bootstrap", Bootstrap);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("No identity", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Put_ValueOver1000BytesEncoded_IsAUsageError()
    {
        _cli.NewIdentity("Alice");
        var result = _cli.Run("dht", "put", "--value", new string('x', 1000), "--bootstrap", "127.0.0.1:9");
        Assert.Equal(2, result.ExitCode);
    }

    [Fact]
    public void NoNodeAnswers_FailsWithExitCode1()
    {
        using var silent = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Dgram, System.Net.Sockets.ProtocolType.Udp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var result = _cli.Run("dht", "peers", "0123456789abcdef0123456789abcdef01234567", "--bootstrap", silent.LocalEndPoint!.ToString()!, "--timeout", "20");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("No DHT node answered", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("timed out", result.StandardError, StringComparison.OrdinalIgnoreCase);
    }

    // Read-only (BEP 43), as the CLI's own nodes are: the router keeps no entry for a node that is gone when the next
    // command runs.
    private static DhtNode ReadOnlyNode() => new(
        new UdpDhtSocket(new IPEndPoint(IPAddress.Loopback, 0)), NodeId.Random(), TimeProvider.System, DhtNodeOptions.Default with { ReadOnly = true });

    private void PutDirectly(MutableItem item)
    {
        Task.Run(async () =>
        {
            await using var writer = ReadOnlyNode();
            var token = (await writer.GetAsync(_router.EndPoint, item.Target)).Token;
            await writer.PutAsync(_router.EndPoint, token, item);
        }).GetAwaiter().GetResult();
    }
}
