using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Upseed.Metainfo;
using Upseed.Torrent.Extensions;
using Upseed.Torrent.Wire;

namespace Upseed.Torrent.Swarm;

/// <summary>
/// Fetches a small torrent from peers: metadata by ut_metadata (BEP 9) when only the info-hash is known, then pieces
/// (BEP 3), from several peers at once. Every piece is checked against its hash; a peer that sends garbage or a bad
/// piece is dropped and the others carry on.
/// </summary>
public sealed partial class TorrentFetcher
{
    private const byte OurMetadataId = 1;
    private const byte OurPexId = 2;
    private const int MaxMetadataSize = 4 << 20;

    private readonly EngineOptions _options;
    private readonly PeerWireOptions _wireOptions = PeerWireOptions.Default;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;

    public TorrentFetcher(EngineOptions? options = null, PeerId? peerId = null, ILogger? logger = null, TimeProvider? clock = null)
    {
        _options = options ?? new EngineOptions();
        _logger = logger ?? NullLogger.Instance;
        _clock = clock ?? TimeProvider.System;
        PeerId = peerId ?? PeerId.CreateRandom();
    }

    public PeerId PeerId { get; }

    /// <summary>Fetches the torrent; returns it with every piece verified.</summary>
    /// <exception cref="FetchFailedException">
    /// No peer could deliver it (the message lists each peer's reason), or the torrent is larger than
    /// <see cref="EngineOptions.MaxFetchSize"/>.
    /// </exception>
    /// <exception cref="ArgumentException"><paramref name="metainfo"/> is for another info-hash.</exception>
    public async Task<SeedableTorrent> FetchAsync(InfoHash infoHash, IReadOnlyCollection<IPEndPoint> peers, TorrentMetainfo? metainfo = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(peers);
        if (metainfo is not null && metainfo.InfoHash != infoHash)
        {
            throw new ArgumentException("The metainfo is for another info-hash.", nameof(metainfo));
        }

        // Refused like a torrent whose metadata turns out too large (FetchJob.TryAdoptMetadata), not as a bare
        // InvalidDataException from the job.
        if (metainfo is not null && metainfo.TotalLength > _options.MaxFetchSize)
        {
            throw new FetchFailedException(infoHash, [$"the torrent is {metainfo.TotalLength} bytes, over the fetch limit of {_options.MaxFetchSize}"]);
        }

        var job = new FetchJob(infoHash, metainfo, _options.MaxFetchSize);
        if (peers.Count == 0)
        {
            throw new FetchFailedException(infoHash, ["no peers to ask"]);
        }

        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var started = new HashSet<IPEndPoint>();
        var workers = new List<Task>();
        void StartWorkers(IEnumerable<IPEndPoint> candidates)
        {
            foreach (var peer in candidates)
            {
                if (workers.Count < _options.MaxConnections && started.Add(peer))
                {
                    workers.Add(RunPeerAsync(job, peer, done.Token));
                }
            }
        }

        // Peers named by peer exchange (BEP 11) join the fetch as they are learnt.
        StartWorkers(peers);
        while (!job.Completed.Task.IsCompleted && !done.IsCancellationRequested)
        {
            var discovered = job.PeersDiscovered.Reader.WaitToReadAsync(done.Token).AsTask();
            var finished = await Task.WhenAny(job.Completed.Task, Task.WhenAll(workers), discovered).ConfigureAwait(false);
            if (finished == discovered && discovered.IsCompletedSuccessfully && discovered.Result)
            {
                var learnt = new List<IPEndPoint>();
                while (job.PeersDiscovered.Reader.TryRead(out var peer))
                {
                    learnt.Add(peer);
                }

                StartWorkers(learnt);
            }
            else if (finished != discovered && !job.Completed.Task.IsCompleted && !job.PeersDiscovered.Reader.TryPeek(out _))
            {
                break; // every worker ended and nobody new was named
            }
        }

        await done.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(workers).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        cancellationToken.ThrowIfCancellationRequested();
        if (job.Completed.Task.IsCompletedSuccessfully)
        {
            return job.Result();
        }

        if (job.Completed.Task.Exception?.InnerException is InvalidDataException tooLarge)
        {
            throw new FetchFailedException(infoHash, [tooLarge.Message]);
        }

        throw new FetchFailedException(infoHash, job.Failures);
    }

    private async Task RunPeerAsync(FetchJob job, IPEndPoint peer, CancellationToken token)
    {
        await Task.Yield();
        var worker = new FetchWorker(job, peer, this);
        try
        {
            await worker.RunAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // The fetch is over (done, or cancelled by the caller).
        }
        catch (Exception ex) when (ex is PeerProtocolException or IOException or SocketException or EndOfStreamException or OperationCanceledException)
        {
            var reason = ex is OperationCanceledException ? "timed out" : ex.Message;
            job.Fail(peer.ToString(), reason);
            LogPeerDropped(_logger, peer, job.InfoHash, reason);
        }
        catch (Exception ex)
        {
            // The worker boundary: a bug met with one peer drops that peer, with its reason, and the fetch goes on.
            var reason = $"internal error: {ex.GetType().Name}: {ex.Message}";
            job.Fail(peer.ToString(), reason);
            LogWorkerFailed(_logger, peer, job.InfoHash, ex);
        }
        finally
        {
            worker.ReturnRequests();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Fetching {InfoHash}: dropped peer {Peer}: {Reason}")]
    private static partial void LogPeerDropped(ILogger logger, IPEndPoint peer, InfoHash infoHash, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Fetching {InfoHash}: dropped peer {Peer} after an internal error")]
    private static partial void LogWorkerFailed(ILogger logger, IPEndPoint peer, InfoHash infoHash, Exception exception);

    /// <summary>One peer's part in a fetch: its connection, what it has, what we asked it for.</summary>
    private sealed class FetchWorker(FetchJob job, IPEndPoint peer, TorrentFetcher owner)
    {
        private readonly HashSet<(int Piece, int Begin)> _requested = [];
        private byte[]? _bitfield;
        private bool _hasAll;
        private bool _choked = true;
        private bool _interested;
        private byte _peerMetadataId;
        private int _metadataSize;
        private byte[]? _metadata;
        private bool[]? _metadataPieces;
        private bool _metadataRequested;
        private PeerConnection? _connection;

        public async Task RunAsync(CancellationToken token)
        {
            var options = owner._options;
            var socket = new Socket(peer.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(token))
            {
                connectTimeout.CancelAfter(options.HandshakeTimeout);
                try
                {
                    await socket.ConnectAsync(peer, connectTimeout.Token).ConfigureAwait(false);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            }

            await using var connection = new PeerConnection(new NetworkStream(socket, ownsSocket: true), peer, owner._wireOptions, owner._clock);
            _connection = connection;
            await connection.SendHandshakeAsync(new Handshake(Handshake.ReservedBits(extensionProtocol: true, dht: false, fast: true), job.InfoHash, owner.PeerId), token).ConfigureAwait(false);
            Handshake theirs;
            using (var handshakeTimeout = CancellationTokenSource.CreateLinkedTokenSource(token))
            {
                handshakeTimeout.CancelAfter(options.HandshakeTimeout);
                theirs = await connection.ReadHandshakeAsync(handshakeTimeout.Token).ConfigureAwait(false);
            }

            if (theirs.InfoHash != job.InfoHash)
            {
                throw new PeerProtocolException("answered with another info-hash");
            }

            var fast = theirs.SupportsFastExtension;
            if (theirs.SupportsExtensionProtocol)
            {
                var ours = new ExtensionHandshake
                {
                    Messages = new Dictionary<string, byte> { ["ut_metadata"] = OurMetadataId, ["ut_pex"] = OurPexId },
                    ClientVersion = options.ClientVersion,
                    RequestQueue = options.MaxQueuedRequests,
                };
                await connection.SendAsync(new ExtendedMessage(0, ours.Encode()), token).ConfigureAwait(false);
            }
            else if (job.Metainfo is null)
            {
                throw new PeerProtocolException("cannot send metadata (no extension protocol) and we only have the info-hash");
            }

            using var waker = job.RegisterWaker();
            using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(token);
            var read = connection.ReadMessageAsync(stopReading.Token).AsTask();
            try
            {
                var wake = waker.WaitAsync(token);
                while (!job.Completed.Task.IsCompleted)
                {
                    // With requests outstanding, a silent peer is stalled; otherwise allow the idle timeout.
                    var limit = _requested.Count > 0 || (_metadataRequested && job.Metainfo is null) ? options.RequestTimeout : options.IdleTimeout;
                    using var timer = CancellationTokenSource.CreateLinkedTokenSource(token);
                    var timeout = Task.Delay(limit, owner._clock, timer.Token);
                    var first = await Task.WhenAny(read, wake, timeout).ConfigureAwait(false);
                    if (first == timeout)
                    {
                        token.ThrowIfCancellationRequested();
                        throw new PeerProtocolException(_requested.Count > 0 ? "stalled: requested blocks did not arrive" : "idle too long");
                    }

                    // Stop the timer now rather than leave it running for up to IdleTimeout per message.
                    await timer.CancelAsync().ConfigureAwait(false);
                    if (first == read)
                    {
                        await HandleAsync(await read.ConfigureAwait(false), fast, token).ConfigureAwait(false);
                        read = connection.ReadMessageAsync(stopReading.Token).AsTask();
                    }
                    else
                    {
                        await wake.ConfigureAwait(false);
                        wake = waker.WaitAsync(token);
                    }

                    await PumpAsync(token).ConfigureAwait(false);
                }
            }
            finally
            {
                // The read still pending writes into the pipe's pooled buffers: end it before the connection is
                // disposed and those buffers go back to the pool.
                await stopReading.CancelAsync().ConfigureAwait(false);
                await ((Task)read).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        public void ReturnRequests()
        {
            job.Return([.. _requested]);
            _requested.Clear();
        }

        private bool Has(int piece) => _hasAll || (_bitfield is not null && piece / 8 < _bitfield.Length && (_bitfield[piece / 8] & (0x80 >> (piece % 8))) != 0);

        private async Task HandleAsync(PeerMessage message, bool fast, CancellationToken token)
        {
            switch (message)
            {
                case BitfieldMessage bitfield:
                    _bitfield = bitfield.Bits.ToArray();
                    break;
                case HaveMessage have:
                    if (have.PieceIndex >= 0 && have.PieceIndex < 1 << 24)
                    {
                        var bytes = (have.PieceIndex / 8) + 1;
                        if (_bitfield is null || _bitfield.Length < bytes)
                        {
                            Array.Resize(ref _bitfield, bytes);
                        }

                        _bitfield[have.PieceIndex / 8] |= (byte)(0x80 >> (have.PieceIndex % 8));
                    }

                    break;
                case HaveAllMessage when fast:
                    _hasAll = true;
                    break;
                case ChokeMessage:
                    _choked = true;
                    ReturnRequests();
                    break;
                case UnchokeMessage:
                    _choked = false;
                    break;
                case RejectRequestMessage reject when fast:
                    if (_requested.Remove((reject.PieceIndex, reject.Begin)))
                    {
                        job.Return([(reject.PieceIndex, reject.Begin)]);
                    }

                    break;
                case PieceMessage piece:
                    if (!_requested.Remove((piece.PieceIndex, piece.Begin)))
                    {
                        break; // unrequested or cancelled: ignore
                    }

                    switch (job.Receive(piece.PieceIndex, piece.Begin, piece.Block.Span))
                    {
                        case FetchJob.BlockOutcome.WrongLength:
                            throw new PeerProtocolException($"piece {piece.PieceIndex}: the block at {piece.Begin} has the wrong length ({piece.Block.Length} bytes)");
                        case FetchJob.BlockOutcome.PieceFailed:
                            throw new PeerProtocolException($"piece {piece.PieceIndex} failed its hash check");
                    }

                    break;
                case ExtendedMessage { ExtendedId: 0 } extended:
                    if (ExtensionHandshake.TryDecode(extended.Payload, out var handshake, out _) && handshake is not null)
                    {
                        _peerMetadataId = handshake.Messages.TryGetValue("ut_metadata", out var id) ? id : (byte)0;
                        _metadataSize = handshake.MetadataSize ?? 0;
                    }

                    break;
                case ExtendedMessage { ExtendedId: OurPexId } extended:
                    if (PexMessage.TryDecode(extended.Payload, out var pex, out _) && pex is not null)
                    {
                        job.Discover(pex.Added);
                    }

                    break;
                case ExtendedMessage { ExtendedId: OurMetadataId } extended:
                    await OnMetadataAsync(extended.Payload).ConfigureAwait(false);
                    break;
                default:
                    break;
            }

            _ = token;
        }

        private Task OnMetadataAsync(ReadOnlyMemory<byte> payload)
        {
            if (!MetadataMessage.TryDecode(payload, out var message, out _) || message is null || _metadata is null || _metadataPieces is null)
            {
                return Task.CompletedTask;
            }

            if (message.Type == MetadataMessageType.Reject)
            {
                throw new PeerProtocolException("refused to send metadata");
            }

            if (message.Type != MetadataMessageType.Data || message.Piece < 0 || message.Piece >= _metadataPieces.Length)
            {
                return Task.CompletedTask;
            }

            var start = message.Piece * MetadataMessage.PieceSize;
            var expected = Math.Min(MetadataMessage.PieceSize, _metadata.Length - start);
            if (message.Data.Length != expected)
            {
                throw new PeerProtocolException($"metadata piece {message.Piece} has {message.Data.Length} bytes, expected {expected}");
            }

            message.Data.Span.CopyTo(_metadata.AsSpan(start));
            _metadataPieces[message.Piece] = true;
            if (_metadataPieces.All(p => p) && job.Metainfo is null && !job.TryAdoptMetadata(_metadata, out var error))
            {
                throw new PeerProtocolException($"bad metadata: {error}");
            }

            return Task.CompletedTask;
        }

        // Decides what to send now: metadata requests, interest, block requests.
        private async Task PumpAsync(CancellationToken token)
        {
            var connection = _connection!;
            if (job.Metainfo is null)
            {
                if (!_metadataRequested && _peerMetadataId != 0 && _metadataSize is > 0 and <= MaxMetadataSize)
                {
                    _metadataRequested = true;
                    _metadata = new byte[_metadataSize];
                    _metadataPieces = new bool[(_metadataSize + MetadataMessage.PieceSize - 1) / MetadataMessage.PieceSize];
                    for (var piece = 0; piece < _metadataPieces.Length; piece++)
                    {
                        var request = new MetadataMessage(MetadataMessageType.Request, piece, null, default);
                        await connection.SendAsync(new ExtendedMessage(_peerMetadataId, request.Encode()), token).ConfigureAwait(false);
                    }
                }

                return;
            }

            if (!_interested && job.NeedsPieceFrom(Has))
            {
                _interested = true;
                await connection.SendAsync(InterestedMessage.Instance, token).ConfigureAwait(false);
            }

            if (_choked || !_interested)
            {
                return;
            }

            var blocks = job.TakeBlocks(Has, owner._options.PipelineDepth - _requested.Count, _requested);
            foreach (var (piece, begin, length) in blocks)
            {
                _requested.Add((piece, begin));
                await connection.SendAsync(new RequestMessage(piece, begin, length), token).ConfigureAwait(false);
            }
        }
    }
}
