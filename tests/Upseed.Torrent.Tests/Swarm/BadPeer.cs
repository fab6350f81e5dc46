using System.Net;
using System.Net.Sockets;
using Upseed.Torrent.Extensions;
using Upseed.Torrent.Swarm;
using Upseed.Torrent.Wire;

namespace Upseed.Torrent.Tests.Swarm;

/// <summary>
/// A peer the test runs on its own TCP listener (127.0.0.1, a free port) that answers the handshake for one torrent
/// and then misbehaves in one way. <see cref="Misbehaved"/> completes once it has sent its lie.
/// </summary>
internal sealed class BadPeer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly SeedableTorrent _torrent;
    private readonly BadPeerKind _kind;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _misbehaved = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _acceptLoop;
    private readonly List<Task> _connections = [];

    public BadPeer(SeedableTorrent torrent, BadPeerKind kind)
    {
        _torrent = torrent;
        _kind = kind;
        _listener.Start();
        _acceptLoop = AcceptLoopAsync();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    public Task Misbehaved => _misbehaved.Task;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Task[] connections;
        lock (_connections)
        {
            connections = [.. _connections];
        }

        await Task.WhenAll(connections).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            lock (_connections)
            {
                _connections.Add(ServeAsync(client));
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        await using var peer = RawPeer.FromAccepted(client);
        using var __ = _stop.Token.Register(client.Dispose);
        var theirs = await peer.ReadHandshakeAsync(Timeout.InfiniteTimeSpan);
        var infoHash = _kind == BadPeerKind.WrongInfoHash ? TestCatalog.Torrent("other.bin", 100, seed: 99).InfoHash : _torrent.InfoHash;
        var handshake = new byte[Handshake.Size];
        new Handshake(Handshake.ReservedBits(extensionProtocol: _kind == BadPeerKind.BadMetadata, dht: false, fast: false), infoHash, peer.PeerId).WriteTo(handshake);
        await peer.SendRawAsync(handshake);
        switch (_kind)
        {
            case BadPeerKind.WrongInfoHash:
                _misbehaved.TrySetResult();
                await peer.WaitForCloseAsync(Timeout.InfiniteTimeSpan);
                return;
            case BadPeerKind.Garbage:
                await peer.SendRawAsync(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 1 });
                _misbehaved.TrySetResult();
                await peer.WaitForCloseAsync(Timeout.InfiniteTimeSpan);
                return;
            case BadPeerKind.BadMetadata:
                var offer = new ExtensionHandshake
                {
                    Messages = new Dictionary<string, byte> { ["ut_metadata"] = 5 },
                    MetadataSize = _torrent.Info.Length,
                };
                await peer.SendAsync(new ExtendedMessage(0, offer.Encode()));
                break;
        }

        var bitfield = new byte[(_torrent.PieceCount + 7) / 8];
        for (var i = 0; i < _torrent.PieceCount; i++)
        {
            bitfield[i / 8] |= (byte)(0x80 >> (i % 8));
        }

        await peer.SendAsync(new BitfieldMessage(bitfield), UnchokeMessage.Instance);
        byte theirMetadataId = 0;
        while (true)
        {
            switch (await peer.ReadMessageAsync(Timeout.InfiniteTimeSpan))
            {
                case ExtendedMessage { ExtendedId: 0 } extended when ExtensionHandshake.TryDecode(extended.Payload, out var ext, out _):
                    theirMetadataId = ext.Messages.GetValueOrDefault("ut_metadata");
                    break;
                case ExtendedMessage { ExtendedId: 5 } extended when MetadataMessage.TryDecode(extended.Payload, out var request, out _):
                    var lie = new MetadataMessage(MetadataMessageType.Data, request.Piece, _torrent.Info.Length, TestCatalog.Content(_torrent.Info.Length, seed: 8));
                    await peer.SendAsync(new ExtendedMessage(theirMetadataId, lie.Encode()));
                    _misbehaved.TrySetResult();
                    break;
                case RequestMessage request when _kind == BadPeerKind.WrongData:
                    await peer.SendAsync(new PieceMessage(request.PieceIndex, request.Begin, Enumerable.Repeat((byte)0xAB, request.Length).ToArray()));
                    _misbehaved.TrySetResult();
                    break;
                case RequestMessage request when _kind == BadPeerKind.LongBlock:
                    var start = (request.PieceIndex * _torrent.PieceLength) + request.Begin;
                    var block = new byte[16 * 1024];
                    _torrent.Content.Span.Slice(start, request.Length).CopyTo(block);
                    await peer.SendAsync(new PieceMessage(request.PieceIndex, request.Begin, block));
                    if (request.Length < block.Length)
                    {
                        _misbehaved.TrySetResult();
                    }

                    break;
            }
        }
    }
}
