using System.Net;
using Microsoft.Extensions.Logging;
using Upseed.Torrent.Extensions;
using Upseed.Torrent.Wire;

namespace Upseed.Torrent.Swarm;

/// <summary>
/// Serves one incoming peer: reads its handshake, asks the catalog for the torrent (built on demand), and answers
/// metadata requests (BEP 9) and block requests (BEP 3) while holding an upload slot. Requests are served as they
/// arrive, so a flood of requests costs bandwidth, never a growing queue.
/// </summary>
internal sealed partial class SeedingSession : IChokeable
{
    internal const byte MetadataExtensionId = 1;
    internal const byte PexExtensionId = 2;

    private readonly PeerConnection _connection;
    private readonly ITorrentCatalog _catalog;
    private readonly UploadChoker _choker;
    private readonly SeedingContext _context;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop;
    private volatile bool _choking = true;
    private byte _peerMetadataId;
    private bool _pexSent;

    public SeedingSession(PeerConnection connection, ITorrentCatalog catalog, UploadChoker choker, SeedingContext context, ILogger logger, CancellationToken shutdown)
    {
        _connection = connection;
        _catalog = catalog;
        _choker = choker;
        _context = context;
        _logger = logger;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
    }

    public SeedableTorrent? Torrent { get; private set; }

    public async Task RunAsync()
    {
        var token = _stop.Token;
        try
        {
            Handshake handshake;
            IPeerHandshakeHandler? foreign = null;
            using (var handshakeTimeout = CancellationTokenSource.CreateLinkedTokenSource(token))
            {
                handshakeTimeout.CancelAfter(_context.Options.HandshakeTimeout);
                try
                {
                    handshake = await _connection.ReadHandshakeAsync(handshakeTimeout.Token).ConfigureAwait(false);
                    if (_context.HandshakeHandler is { } handler && handler.Accepts(handshake.InfoHash))
                    {
                        foreign = handler;
                    }
                    else
                    {
                        // The lookup shares the handshake's deadline: a catalog that cannot answer in time is a silent node.
                        Torrent = await _catalog.FindAsync(handshake.InfoHash, handshakeTimeout.Token).ConfigureAwait(false);
                    }
                }
                catch (OperationCanceledException) when (!token.IsCancellationRequested)
                {
                    throw new PeerProtocolException("no handshake in time");
                }
            }

            if (foreign is not null)
            {
                // Not a torrent: a swarm another layer serves (community sync) takes the connection from here.
                await foreign.RunAsync(new PeerChannel(_connection, ownsConnection: false), handshake, token).ConfigureAwait(false);
                return;
            }

            if (Torrent is null)
            {
                _context.Counters.UnknownInfoHash();
                LogUnknownInfoHash(_logger, _connection.Remote, handshake.InfoHash);
                return;
            }

            await _connection.SendHandshakeAsync(
                new Handshake(Handshake.ReservedBits(extensionProtocol: true, dht: false, fast: false), Torrent.InfoHash, _context.PeerId),
                token).ConfigureAwait(false);
            if (handshake.SupportsExtensionProtocol)
            {
                await _connection.SendAsync(new ExtendedMessage(0, OurExtensionHandshake().Encode()), token).ConfigureAwait(false);
            }

            await _connection.SendAsync(new BitfieldMessage(FullBitfield(Torrent.PieceCount)), token).ConfigureAwait(false);
            _context.Counters.SessionStarted();
            using var keepAlive = StartKeepAlive(token);
            await ServeAsync(token).ConfigureAwait(false);
        }
        catch (PeerProtocolException ex)
        {
            _context.Counters.ProtocolError();
            LogProtocolError(_logger, _connection.Remote, ex.Message);
        }
        catch (EndOfStreamException)
        {
            // The peer hung up: the normal end of a download.
        }
        catch (IOException ex)
        {
            LogConnectionError(_logger, _connection.Remote, ex.Message);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Shutdown, idle timeout, or a failed send from a timer.
        }
        finally
        {
            _choker.Release(this);
            await _stop.CancelAsync().ConfigureAwait(false);
            await _connection.DisposeAsync().ConfigureAwait(false);
            _stop.Dispose();
        }
    }

    public void Choke()
    {
        _choking = true;
        Send(ChokeMessage.Instance);
    }

    public void Unchoke()
    {
        _choking = false;
        Send(UnchokeMessage.Instance);
    }

    private async Task ServeAsync(CancellationToken token)
    {
        var torrent = Torrent!;
        while (true)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(token);
            deadline.CancelAfter(_context.Options.IdleTimeout);
            PeerMessage message;
            try
            {
                message = await _connection.ReadMessageAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                throw new PeerProtocolException("idle too long");
            }

            // Answers are sent inline, so a peer that floods requests and never reads is held back by TCP: we stop
            // reading it while our answers wait for room in the socket buffers. A peer that leaves them unread for
            // RequestTimeout is stalled; without this cut-off it would hold a connection and an upload slot for good.
            deadline.CancelAfter(_context.Options.RequestTimeout);
            try
            {
                await HandleAsync(torrent, message, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                throw new PeerProtocolException($"stalled: left our answers unread for {_context.Options.RequestTimeout.TotalSeconds:0.###} s");
            }
        }
    }

    private async ValueTask HandleAsync(SeedableTorrent torrent, PeerMessage message, CancellationToken token)
    {
        switch (message)
        {
            case InterestedMessage:
                if (_choking && _choker.Request(this))
                {
                    _choking = false;
                    await _connection.SendAsync(UnchokeMessage.Instance, token).ConfigureAwait(false);
                }

                break;
            case NotInterestedMessage:
                _choker.Release(this);
                _choking = true;
                break;
            case RequestMessage request:
                if (request.Length > _context.WireOptions.MaxBlockLength || !torrent.IsValidBlock(request.PieceIndex, request.Begin, request.Length))
                {
                    throw new PeerProtocolException($"request out of range (piece {request.PieceIndex}, begin {request.Begin}, length {request.Length})");
                }

                if (_choking)
                {
                    // BEP 3: requests while choked are dropped; the peer asks again once unchoked.
                    break;
                }

                await _connection.SendPieceAsync(request.PieceIndex, request.Begin, torrent.Block(request.PieceIndex, request.Begin, request.Length), token).ConfigureAwait(false);
                _context.Counters.BlockServed(request.Length);
                break;
            case ExtendedMessage { ExtendedId: 0 } extended:
                if (ExtensionHandshake.TryDecode(extended.Payload, out var theirs, out _) && theirs is not null)
                {
                    _peerMetadataId = theirs.Messages.TryGetValue("ut_metadata", out var id) ? id : (byte)0;
                    await ExchangePeersAsync(torrent, theirs, token).ConfigureAwait(false);
                }

                break;
            case ExtendedMessage { ExtendedId: MetadataExtensionId } extended:
                await AnswerMetadataAsync(torrent, extended.Payload, token).ConfigureAwait(false);
                break;
            default:
                // Keep-alive, have, bitfield, choke state, cancel (requests are served at once), PEX: nothing to do.
                break;
        }
    }

    private async ValueTask AnswerMetadataAsync(SeedableTorrent torrent, ReadOnlyMemory<byte> payload, CancellationToken token)
    {
        if (!MetadataMessage.TryDecode(payload, out var request, out _) || request is null || request.Type != MetadataMessageType.Request)
        {
            return; // BEP 9: unknown message types are ignored.
        }

        if (_peerMetadataId == 0)
        {
            return; // The peer never said which id to answer on.
        }

        var info = torrent.Info;
        var pieces = (info.Length + MetadataMessage.PieceSize - 1) / MetadataMessage.PieceSize;
        MetadataMessage answer;
        if (request.Piece < 0 || request.Piece >= pieces)
        {
            answer = new MetadataMessage(MetadataMessageType.Reject, request.Piece, null, default);
        }
        else
        {
            var start = request.Piece * MetadataMessage.PieceSize;
            answer = new MetadataMessage(MetadataMessageType.Data, request.Piece, info.Length, info.Slice(start, Math.Min(MetadataMessage.PieceSize, info.Length - start)));
        }

        await _connection.SendAsync(new ExtendedMessage(_peerMetadataId, answer.Encode()), token).ConfigureAwait(false);
        _context.Counters.MetadataServed();
    }

    // BEP 11: tell the peer who else fetched this torrent lately (once per connection; the limit is one a minute),
    // and remember the peer itself when it said where it listens.
    private async ValueTask ExchangePeersAsync(SeedableTorrent torrent, ExtensionHandshake theirs, CancellationToken token)
    {
        if (_pexSent || _connection.Remote is not IPEndPoint remote)
        {
            return;
        }

        var address = remote.Address.IsIPv4MappedToIPv6 ? remote.Address.MapToIPv4() : remote.Address;
        var listening = theirs.ListenPort is { } port and > 0 and < 65536 ? new IPEndPoint(address, port) : null;
        if (theirs.Messages.TryGetValue("ut_pex", out var pexId) && pexId != 0)
        {
            var others = _context.RecentPeers.Get(torrent.InfoHash, listening);
            if (others.Count > 0)
            {
                _pexSent = true;
                var added = others.Take(50).ToList();
                var message = new PexMessage(added, [.. added.Select(_ => PexMessage.FlagSeed)], []);
                await _connection.SendAsync(new ExtendedMessage(pexId, message.Encode()), token).ConfigureAwait(false);
            }
        }

        if (listening is not null)
        {
            _context.RecentPeers.Add(torrent.InfoHash, listening);
        }
    }

    private ExtensionHandshake OurExtensionHandshake() => new()
    {
        Messages = new Dictionary<string, byte> { ["ut_metadata"] = MetadataExtensionId, ["ut_pex"] = PexExtensionId },
        MetadataSize = Torrent!.Info.Length,
        ClientVersion = _context.Options.ClientVersion,
        RequestQueue = _context.Options.MaxQueuedRequests,
        ListenPort = _context.ListenPort,
        YourIp = _connection.Remote is IPEndPoint ip ? (ip.Address.IsIPv4MappedToIPv6 ? ip.Address.MapToIPv4() : ip.Address).GetAddressBytes() : null,
    };

    private static byte[] FullBitfield(int pieces)
    {
        var bits = new byte[(pieces + 7) / 8];
        for (var i = 0; i < pieces; i++)
        {
            bits[i / 8] |= (byte)(0x80 >> (i % 8));
        }

        return bits;
    }

    private ITimer StartKeepAlive(CancellationToken token) =>
        _context.Clock.CreateTimer(
            _ =>
            {
                if (_connection.SinceLastSent >= _context.Options.KeepAliveInterval && !token.IsCancellationRequested)
                {
                    Send(KeepAliveMessage.Instance);
                }
            },
            null,
            _context.Options.KeepAliveInterval,
            _context.Options.KeepAliveInterval);

    // Sends from another context (choker, timer). A failed send ends the session through its token.
    private void Send(PeerMessage message)
    {
        _ = SendOrStopAsync(message);
    }

    private async Task SendOrStopAsync(PeerMessage message)
    {
        try
        {
            await _connection.SendAsync(message, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            try
            {
                await _stop.CancelAsync().ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                // The session already ended.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Peer {Remote} asked for {InfoHash}, which this node does not seed; disconnected")]
    private static partial void LogUnknownInfoHash(ILogger logger, EndPoint remote, Upseed.Metainfo.InfoHash infoHash);

    [LoggerMessage(Level = LogLevel.Information, Message = "Peer {Remote} disconnected: {Reason}")]
    private static partial void LogProtocolError(ILogger logger, EndPoint remote, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Peer {Remote}: connection error: {Reason}")]
    private static partial void LogConnectionError(ILogger logger, EndPoint remote, string reason);
}
