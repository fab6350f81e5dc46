using System.Diagnostics;
using System.Net.Sockets;
using Upseed.Torrent.Extensions;
using Upseed.Torrent.Swarm;
using Upseed.Torrent.Wire;

namespace Upseed.Torrent.Tests.Swarm;

/// <summary>
/// Issue 3, "Bad input": slow-loris peers, connection limits and request floods are handled without unbounded memory,
/// and the node keeps serving everyone else.
/// </summary>
public class PeerListenerLimitsTests
{
    private static readonly SeedableTorrent s_torrent = TestCatalog.Torrent("post.bin", 40_000, seed: 4);

    [Fact]
    public async Task SlowLoris_OneBytePerSecond_ClosedAfterHandshakeTimeout()
    {
        var options = new EngineOptions { HandshakeTimeout = TimeSpan.FromMilliseconds(300) };
        await using var node = TestNode.Start(options, s_torrent);
        var stopwatch = Stopwatch.StartNew(); // before connecting: the node's clock starts once it has accepted
        await using var loris = await RawPeer.ConnectAsync(node.EndPoint);
        var handshake = new byte[Handshake.Size];
        new Handshake(0, s_torrent.InfoHash, loris.PeerId).WriteTo(handshake);

        // One byte, then up to a second for the node to hang up, then the next byte: 68 s for a whole handshake.
        var sent = 0;
        var closed = false;
        while (!closed && sent < 10)
        {
            try
            {
                await loris.SendRawAsync(handshake.AsMemory(sent++, 1));
            }
            catch (Exception ex) when (ex is IOException or SocketException)
            {
                closed = true;
                break;
            }

            closed = await loris.WaitForCloseAsync(TimeSpan.FromSeconds(1));
        }

        Assert.True(closed, $"still open after {sent} bytes");
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(290), TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(() => node.Counters.ProtocolErrors == 1, RawPeer.DefaultTimeout, "ProtocolErrors == 1");
        Assert.True(node.Logger.Logged("no handshake in time"));
        Assert.Equal(0, node.Counters.Sessions);
        Assert.Equal(s_torrent.Content.ToArray(), await TestNode.DownloadAsync(node.EndPoint, s_torrent));
        node.AssertNoErrorsLogged();
    }

    [Fact]
    public async Task MaxConnections_FiveIdleSockets_RefusesMoreThenAcceptsAfterTheyClose()
    {
        var options = new EngineOptions { MaxConnections = 5, HandshakeTimeout = TimeSpan.FromSeconds(30) };
        await using var node = TestNode.Start(options, s_torrent);
        var idle = new List<RawPeer>();
        try
        {
            for (var i = 0; i < 5; i++)
            {
                idle.Add(await RawPeer.ConnectAsync(node.EndPoint));
            }

            await Eventually.TrueAsync(() => node.Counters.ActiveConnections == 5, RawPeer.DefaultTimeout, "5 connections accepted");

            for (var refused = 1; refused <= 2; refused++)
            {
                await using var extra = await RawPeer.ConnectAsync(node.EndPoint);
                try
                {
                    await extra.SendHandshakeAsync(s_torrent.InfoHash);
                }
                catch (Exception ex) when (ex is IOException or SocketException)
                {
                    // Refused before our handshake went out.
                }

                Assert.Equal(0, await extra.BytesUntilCloseAsync());
                Assert.Equal(refused, node.Counters.ConnectionsRefused);
            }

            Assert.Equal(5, node.Counters.ActiveConnections);
        }
        finally
        {
            foreach (var peer in idle)
            {
                await peer.DisposeAsync();
            }
        }

        await Eventually.TrueAsync(() => node.Counters.ActiveConnections == 0, RawPeer.DefaultTimeout, "idle connections released");
        Assert.Equal(s_torrent.Content.ToArray(), await TestNode.DownloadAsync(node.EndPoint, s_torrent));
        Assert.Equal(2, node.Counters.ConnectionsRefused);
        Assert.Equal(0, node.Counters.ProtocolErrors);
        node.AssertNoErrorsLogged();
    }

    [Fact]
    public async Task UploadSlots_AllTaken_NextInterestedPeerUnchokedWhenTheHolderLeaves()
    {
        await using var node = TestNode.Start(new EngineOptions { UploadSlots = 1 }, s_torrent);
        var (holder, _) = await RawPeer.HandshakeAsync(node.EndPoint, s_torrent.InfoHash);
        await holder.ReadUntilAsync<BitfieldMessage>();
        await holder.SendAsync(InterestedMessage.Instance);
        await holder.ReadUntilAsync<UnchokeMessage>();
        var (waiter, _) = await RawPeer.HandshakeAsync(node.EndPoint, s_torrent.InfoHash);
        await using var __ = waiter;
        var theirs = await waiter.ReadUntilAsync<ExtendedMessage>(m => m.ExtendedId == 0);
        Assert.True(ExtensionHandshake.TryDecode(theirs.Payload, out var extensions, out _));

        // Interested, then a metadata request: its answer proves the interest was handled, and no unchoke came first.
        var ours = new ExtensionHandshake { Messages = new Dictionary<string, byte> { ["ut_metadata"] = 9 } };
        await waiter.SendAsync(
            InterestedMessage.Instance,
            new ExtendedMessage(0, ours.Encode()),
            new ExtendedMessage(extensions.Messages["ut_metadata"], new MetadataMessage(MetadataMessageType.Request, 0, null, default).Encode()));
        PeerMessage message;
        while ((message = await waiter.ReadMessageAsync()) is not ExtendedMessage { ExtendedId: 9 })
        {
            Assert.IsNotType<UnchokeMessage>(message);
        }

        await holder.DisposeAsync();

        await waiter.ReadUntilAsync<UnchokeMessage>();
        await waiter.SendAsync(new RequestMessage(0, 0, 16 * 1024));
        var block = await waiter.ReadUntilAsync<PieceMessage>();
        Assert.Equal(s_torrent.Content[..(16 * 1024)].ToArray(), block.Block.ToArray());
    }

    [Fact]
    public async Task RequestFlood_PeerNeverReads_BoundedByBackPressureAndOthersServed()
    {
        // The flooder's stall is cut off after RequestTimeout (a peer that does not take our blocks is stalled).
        var options = new EngineOptions { RequestTimeout = TimeSpan.FromSeconds(2) };
        await using var node = TestNode.Start(options, s_torrent);
        var (flooder, _) = await RawPeer.HandshakeAsync(node.EndPoint, s_torrent.InfoHash);
        await using var _ = flooder;
        await flooder.ReadUntilAsync<BitfieldMessage>();
        await flooder.SendAsync(InterestedMessage.Instance);
        await flooder.ReadUntilAsync<UnchokeMessage>();

        // 10,000 requests for the same block (170 KB), sent from the side while we never read the 160 MiB of answers.
        var requests = new System.Buffers.ArrayBufferWriter<byte>();
        for (var i = 0; i < 10_000; i++)
        {
            PeerMessageWriter.Write(requests, new RequestMessage(0, 0, 16 * 1024));
        }

        var flood = Task.Run(async () =>
        {
            try
            {
                await flooder.Socket.SendAsync(requests.WrittenMemory);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                // Closed under us: what the node is meant to do eventually.
            }
        });

        await Eventually.TrueAsync(() => node.Counters.BlocksServed >= 20, RawPeer.DefaultTimeout, "the flood is being served");
        var stopwatch = Stopwatch.StartNew();
        Assert.Equal(s_torrent.Content.ToArray(), await TestNode.DownloadAsync(node.EndPoint, s_torrent));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(60), $"a good peer waited {stopwatch.Elapsed} behind the flood");

        // TCP back-pressure: the node stops reading the flooder's requests once its answers fill the socket buffers, so
        // it holds a few MiB in the kernel, never 10,000 answers; then it drops the stalled peer.
        await Eventually.TrueAsync(() => node.Counters.ActiveConnections == 0, TimeSpan.FromSeconds(60), "the flooder is disconnected");
        Assert.InRange(node.Counters.BlocksServed, 20, 5_000);
        await flood.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(1, node.Counters.ProtocolErrors);
        node.AssertNoErrorsLogged();
    }
}
