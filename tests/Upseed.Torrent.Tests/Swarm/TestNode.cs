using System.Net;
using Upseed.Torrent.Swarm;
using Upseed.Torrent.Wire;

namespace Upseed.Torrent.Tests.Swarm;

/// <summary>
/// A <see cref="PeerListener"/> on 127.0.0.1 (a free port) over a <see cref="TestCatalog"/>, with its log kept, so a
/// test can fail when the node logged an error (a session that escaped its boundary).
/// </summary>
internal sealed class TestNode : IAsyncDisposable
{
    private TestNode(PeerListener listener, RecordingLogger logger)
    {
        Listener = listener;
        Logger = logger;
    }

    public PeerListener Listener { get; }

    public RecordingLogger Logger { get; }

    public IPEndPoint EndPoint => Listener.LocalEndPoint;

    public EngineCounters Counters => Listener.Counters;

    public static TestNode Start(EngineOptions? options, params SeedableTorrent[] torrents) => Start(options, new TestCatalog(torrents));

    public static TestNode Start(EngineOptions? options, TestCatalog catalog)
    {
        var logger = new RecordingLogger();
        var listener = new PeerListener(new IPEndPoint(IPAddress.Loopback, 0), catalog, options, logger: logger);
        listener.Start();
        return new TestNode(listener, logger);
    }

    /// <summary>Downloads every block of <paramref name="torrent"/> as a plain BEP 3 peer and returns the content.</summary>
    public static async Task<byte[]> DownloadAsync(IPEndPoint endpoint, SeedableTorrent torrent, TimeSpan? timeout = null)
    {
        var (peer, theirs) = await RawPeer.HandshakeAsync(endpoint, torrent.InfoHash);
        await using (peer)
        {
            Assert.Equal(torrent.InfoHash, theirs.InfoHash);
            await peer.ReadUntilAsync<BitfieldMessage>(timeout: timeout);
            await peer.SendAsync(InterestedMessage.Instance);
            await peer.ReadUntilAsync<UnchokeMessage>(timeout: timeout);
            var content = new byte[torrent.Content.Length];
            var blocks = Blocks(torrent).ToList();
            await peer.SendAsync([.. blocks.Select(b => new RequestMessage(b.Piece, b.Begin, b.Length))]);
            foreach (var (piece, begin, length) in blocks)
            {
                var block = await peer.ReadUntilAsync<PieceMessage>(timeout: timeout);
                Assert.Equal((piece, begin, length), (block.PieceIndex, block.Begin, block.Block.Length));
                block.Block.CopyTo(content.AsMemory((piece * torrent.PieceLength) + begin));
            }

            return content;
        }
    }

    /// <summary>Every 16 KiB block of the torrent (BEP 3), in order.</summary>
    public static IEnumerable<(int Piece, int Begin, int Length)> Blocks(SeedableTorrent torrent)
    {
        const int BlockSize = 16 * 1024;
        for (var piece = 0; piece < torrent.PieceCount; piece++)
        {
            var size = torrent.PieceSize(piece);
            for (var begin = 0; begin < size; begin += BlockSize)
            {
                yield return (piece, begin, Math.Min(BlockSize, size - begin));
            }
        }
    }

    /// <summary>Fails when the node logged an error: every bad peer must end at its session's boundary.</summary>
    public void AssertNoErrorsLogged() => Assert.Empty(Logger.Errors);

    public ValueTask DisposeAsync() => Listener.DisposeAsync();
}
