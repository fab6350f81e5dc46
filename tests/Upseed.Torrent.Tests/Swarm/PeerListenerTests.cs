using System.Security.Cryptography;
using Upseed.Metainfo;
using Upseed.Torrent.Extensions;
using Upseed.Torrent.Swarm;
using Upseed.Torrent.Wire;

namespace Upseed.Torrent.Tests.Swarm;

/// <summary>A raw BEP 3/10/9 peer against a real <see cref="PeerListener"/> on 127.0.0.1.</summary>
public class PeerListenerTests
{
    // 70,000 bytes in 32 KiB pieces: pieces of 32,768, 32,768 and 4,464 bytes, so two full 16 KiB blocks per piece and
    // a short last block (BEP 3 blocks never cross pieces).
    private static readonly SeedableTorrent s_torrent = TestCatalog.Torrent("post.bin", 70_000, seed: 1, pieceLength: 32 * 1024);

    [Fact]
    public async Task Handshake_KnownInfoHash_AnswersExtensionsBitfieldBlocksAndMetadata()
    {
        await using var node = TestNode.Start(null, s_torrent);
        var (peer, theirs) = await RawPeer.HandshakeAsync(node.EndPoint, s_torrent.InfoHash);
        await using var _ = peer;

        Assert.Equal(s_torrent.InfoHash, theirs.InfoHash);
        Assert.Equal(node.Listener.PeerId, theirs.PeerId);
        Assert.True(theirs.SupportsExtensionProtocol);

        // BEP 10: the extension handshake comes first, with ut_metadata and metadata_size (BEP 9).
        var extended = Assert.IsType<ExtendedMessage>(await peer.ReadMessageAsync());
        Assert.Equal(ExtendedMessage.HandshakeId, extended.ExtendedId);
        Assert.True(ExtensionHandshake.TryDecode(extended.Payload, out var extensions, out var error), error);
        Assert.True(extensions.Messages.TryGetValue("ut_metadata", out var theirMetadataId));
        Assert.NotEqual(0, theirMetadataId);
        Assert.Equal(s_torrent.Info.Length, extensions.MetadataSize);

        // BEP 3: a bitfield with every piece (3 pieces: the top three bits, spare bits zero).
        var bitfield = Assert.IsType<BitfieldMessage>(await peer.ReadMessageAsync());
        Assert.Equal(new byte[] { 0b1110_0000 }, bitfield.Bits.ToArray());

        await peer.SendAsync(InterestedMessage.Instance);
        await peer.ReadUntilAsync<UnchokeMessage>();

        var blocks = TestNode.Blocks(s_torrent).ToList();
        Assert.Equal(5, blocks.Count);
        foreach (var (piece, begin, length) in blocks)
        {
            await peer.SendAsync(new RequestMessage(piece, begin, length));
            var block = await peer.ReadUntilAsync<PieceMessage>();
            Assert.Equal((piece, begin), (block.PieceIndex, block.Begin));
            Assert.Equal(s_torrent.Content.Slice((piece * s_torrent.PieceLength) + begin, length).ToArray(), block.Block.ToArray());
        }

        // BEP 9: declare our ut_metadata id, then ask for piece 0 on theirs; the answer comes on ours.
        const byte OurMetadataId = 3;
        var ours = new ExtensionHandshake { Messages = new Dictionary<string, byte> { ["ut_metadata"] = OurMetadataId } };
        await peer.SendAsync(
            new ExtendedMessage(ExtendedMessage.HandshakeId, ours.Encode()),
            new ExtendedMessage(theirMetadataId, new MetadataMessage(MetadataMessageType.Request, 0, null, default).Encode()));
        var answer = await peer.ReadUntilAsync<ExtendedMessage>(m => m.ExtendedId == OurMetadataId);
        Assert.True(MetadataMessage.TryDecode(answer.Payload, out var metadata, out error), error);
        Assert.Equal(MetadataMessageType.Data, metadata.Type);
        Assert.Equal(0, metadata.Piece);
        Assert.Equal(s_torrent.Info.Length, metadata.TotalSize);
        Assert.Equal(s_torrent.InfoHash, new InfoHash(SHA1.HashData(metadata.Data.Span)));

        // Counted once the answer is written, so possibly just after we read it.
        await Eventually.TrueAsync(() => node.Counters.MetadataPiecesServed == 1, RawPeer.DefaultTimeout, "MetadataPiecesServed == 1");
        Assert.Equal(1, node.Counters.Sessions);
        Assert.Equal(5, node.Counters.BlocksServed);
        Assert.Equal(70_000, node.Counters.BytesServed);
        Assert.Equal(0, node.Counters.ProtocolErrors);
        node.AssertNoErrorsLogged();
    }

    [Fact]
    public async Task Metadata_PiecePastTheEnd_Rejected()
    {
        await using var node = TestNode.Start(null, s_torrent);
        var (peer, _) = await RawPeer.HandshakeAsync(node.EndPoint, s_torrent.InfoHash);
        await using var __ = peer;
        var extended = await peer.ReadUntilAsync<ExtendedMessage>(m => m.ExtendedId == 0);
        Assert.True(ExtensionHandshake.TryDecode(extended.Payload, out var extensions, out _));

        var ours = new ExtensionHandshake { Messages = new Dictionary<string, byte> { ["ut_metadata"] = 7 } };
        await peer.SendAsync(
            new ExtendedMessage(0, ours.Encode()),
            new ExtendedMessage(extensions.Messages["ut_metadata"], new MetadataMessage(MetadataMessageType.Request, 1, null, default).Encode()));

        // BEP 9: a piece the peer does not have is answered with a reject.
        var answer = await peer.ReadUntilAsync<ExtendedMessage>(m => m.ExtendedId == 7);
        Assert.True(MetadataMessage.TryDecode(answer.Payload, out var reject, out _));
        Assert.Equal(MetadataMessageType.Reject, reject.Type);
        Assert.Equal(1, reject.Piece);
    }

    [Fact]
    public async Task Request_WhileChoked_IsDropped()
    {
        await using var node = TestNode.Start(null, s_torrent);
        var (peer, _) = await RawPeer.HandshakeAsync(node.EndPoint, s_torrent.InfoHash);
        await using var __ = peer;
        await peer.ReadUntilAsync<BitfieldMessage>();

        // BEP 3: requests from a choked peer are dropped; only the one sent after the unchoke is answered.
        await peer.SendAsync(new RequestMessage(0, 0, 16 * 1024), InterestedMessage.Instance);
        await peer.ReadUntilAsync<UnchokeMessage>();
        await peer.SendAsync(new RequestMessage(2, 0, 4_464));

        var block = await peer.ReadUntilAsync<PieceMessage>();
        Assert.Equal((2, 0, 4_464), (block.PieceIndex, block.Begin, block.Block.Length));
        await Eventually.TrueAsync(() => node.Counters.BlocksServed == 1, RawPeer.DefaultTimeout, "BlocksServed == 1");
        Assert.Equal(4_464, node.Counters.BytesServed);
    }

    [Fact]
    public async Task Handshake_UnknownInfoHash_ClosedWithoutReply()
    {
        await using var node = TestNode.Start(null, s_torrent);
        await using var peer = await RawPeer.ConnectAsync(node.EndPoint);

        await peer.SendHandshakeAsync(new InfoHash(SHA1.HashData("not seeded here"u8)));

        Assert.Equal(0, await peer.BytesUntilCloseAsync());
        await Eventually.TrueAsync(() => node.Counters.UnknownInfoHashes == 1, RawPeer.DefaultTimeout, "UnknownInfoHashes == 1");
        Assert.Equal(0, node.Counters.Sessions);
        Assert.Equal(0, node.Counters.ProtocolErrors);
        node.AssertNoErrorsLogged();
    }

    [Fact]
    public async Task Catalog_Throws_ClosesThatConnectionLogsOnceAndKeepsServing()
    {
        var broken = TestCatalog.Torrent("broken.bin", 1_000, seed: 9);
        await using var node = TestNode.Start(null, new TestCatalog(s_torrent) { ThrowFor = broken.InfoHash });
        await using var peer = await RawPeer.ConnectAsync(node.EndPoint);

        await peer.SendHandshakeAsync(broken.InfoHash);

        Assert.Equal(0, await peer.BytesUntilCloseAsync());
        Assert.Equal(s_torrent.Content.ToArray(), await TestNode.DownloadAsync(node.EndPoint, s_torrent));
        await Eventually.TrueAsync(() => node.Counters.ActiveConnections == 0, RawPeer.DefaultTimeout, "both connections closed");
        var error = Assert.Single(node.Logger.Errors);
        Assert.Contains("the store is unavailable", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_SeveralTorrents_EachServedFromTheCatalog()
    {
        var other = TestCatalog.Torrent("other.bin", 20_000, seed: 2);
        await using var node = TestNode.Start(null, s_torrent, other);

        var results = await Task.WhenAll(TestNode.DownloadAsync(node.EndPoint, s_torrent), TestNode.DownloadAsync(node.EndPoint, other));

        Assert.Equal(s_torrent.Content.ToArray(), results[0]);
        Assert.Equal(other.Content.ToArray(), results[1]);
        await Eventually.TrueAsync(() => node.Counters.ActiveConnections == 0, RawPeer.DefaultTimeout, "both connections closed");
        Assert.Equal(2, node.Counters.ConnectionsAccepted);
    }
}
