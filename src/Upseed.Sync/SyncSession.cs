using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Upseed.Metainfo;
using Upseed.Records;
using Upseed.Store;
using Upseed.Sync.Protocol;
using Upseed.Sync.Reconciliation;
using Upseed.Torrent;
using Upseed.Torrent.Extensions;
using Upseed.Torrent.Swarm;
using Upseed.Torrent.Wire;

namespace Upseed.Sync;

/// <summary>
/// Community sync on one peer connection whose BitTorrent handshake names the community's
/// <see cref="CommunitySwarmKey"/>. After the handshakes (BEP 3, then BEP 10 with <c>upseed_sync</c> in <c>m</c>)
/// and a <see cref="SyncHello"/> each way, the side that dialled (the initiator) reconciles the community's records
/// window by window, newest first, and again every <see cref="SyncOptions.ResyncInterval"/>; both sides send the
/// records the other lacks in acknowledged batches (at most <see cref="SyncOptions.BatchWindow"/> unacknowledged),
/// and new records are pushed as they arrive (<see cref="Push"/>). Records received are ingested through the record
/// source, which validates everything. A malformed or out-of-order message ends this session only.
/// </summary>
public sealed partial class SyncSession : IDisposable
{
    private readonly PeerChannel _channel;
    private readonly ISyncRecordSource _source;
    private readonly SyncOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly PeerId _peerId;
    private readonly Action<SyncSession, IReadOnlyList<SignedRecord>>? _accepted;
    private readonly Lock _gate = new();
    private readonly KnownIds _known;
    private readonly KnownIds _offered;
    private readonly HashSet<InfoHash> _queued = [];
    private readonly Queue<InfoHash> _pushQueue = new();
    private readonly Queue<InfoHash> _haveQueue = new();
    private readonly SemaphoreSlim _work = new(0);
    private readonly SemaphoreSlim _batchSlots;
    private readonly List<int> _haves = [];
    private readonly List<RecordStamp> _stamps = [];
    private readonly TaskCompletionSource _established = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _firstPass = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _stop;
    private byte _peerExtensionId;
    private bool _helloSent;
    private bool _helloReceived;

    // Initiator: the pass under way.
    private Reconciler? _reconciler;
    private SyncItemSet? _set;
    private uint _window;
    private int _windowIndex = -1;
    private long _passNow;
    private bool _passRunning;

    // Responder: the window being answered.
    private Reconciler? _responder;
    private SyncItemSet? _responderSet;
    private uint _responderWindow;
    private bool _responderOpen;

    private uint _nextBatch;
    private int _unacked;
    private long _reconcileBytesSent;
    private long _reconcileBytesReceived;
    private long _recordsSent;
    private long _recordsReceived;
    private long _recordsAccepted;
    private int _passes;
    private int _reconcileRounds;

    /// <param name="channel">The connection; this session does not dispose it.</param>
    /// <param name="community">The community; the connection's handshake info-hash is its swarm key.</param>
    /// <param name="isInitiator">True on the side that dialled: it runs the reconciliations.</param>
    /// <param name="source">Where records come from and go to.</param>
    /// <param name="options">Limits and timers; defaults to <see cref="SyncOptions.Default"/>.</param>
    /// <param name="peerId">Our peer id in the handshake; random by default.</param>
    /// <param name="logger">Where protocol errors are logged.</param>
    /// <param name="clock">Timers (keep-alive, resync) and window edges.</param>
    /// <param name="accepted">Called (on the session's read loop) with records a peer sent that were stored, to relay them.</param>
    public SyncSession(
        PeerChannel channel,
        string community,
        bool isInitiator,
        ISyncRecordSource source,
        SyncOptions? options = null,
        PeerId? peerId = null,
        ILogger? logger = null,
        TimeProvider? clock = null,
        Action<SyncSession, IReadOnlyList<SignedRecord>>? accepted = null)
    {
        _channel = channel ?? throw new ArgumentNullException(nameof(channel));
        ArgumentException.ThrowIfNullOrEmpty(community);
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _options = options ?? SyncOptions.Default;
        _options.Reconcile.Validate();
        _logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        _clock = clock ?? TimeProvider.System;
        _peerId = peerId ?? PeerId.CreateRandom();
        _accepted = accepted;
        _known = new KnownIds(_options.KnownIdsCapacity);
        _offered = new KnownIds(Math.Min(_options.KnownIdsCapacity, 1024));
        _batchSlots = new SemaphoreSlim(Math.Max(1, _options.BatchWindow));
        Community = community;
        SwarmKey = CommunitySwarmKey.For(community);
        IsInitiator = isInitiator;
    }

    public string Community { get; }

    public InfoHash SwarmKey { get; }

    public bool IsInitiator { get; }

    public EndPoint Remote => _channel.Remote;

    /// <summary>The task of <see cref="RunAsync"/> once started by <see cref="CommunitySync"/> (completed before that).</summary>
    public Task Completion { get; internal set; } = Task.CompletedTask;

    /// <summary>Completes when both hellos have been exchanged.</summary>
    public Task Established => _established.Task;

    /// <summary>Completes when the initiator has reconciled every window once (records may still be in flight).</summary>
    public Task FirstPassCompleted => _firstPass.Task;

    public long ReconcileBytesSent => Interlocked.Read(ref _reconcileBytesSent);

    public long ReconcileBytesReceived => Interlocked.Read(ref _reconcileBytesReceived);

    /// <summary>Reconciliation messages the initiator processed (round trips), over all passes.</summary>
    public int ReconcileRounds => Volatile.Read(ref _reconcileRounds);

    public int PassesCompleted => Volatile.Read(ref _passes);

    public long RecordsSent => Interlocked.Read(ref _recordsSent);

    public long RecordsReceived => Interlocked.Read(ref _recordsReceived);

    public long RecordsAccepted => Interlocked.Read(ref _recordsAccepted);

    public long BytesSent => _channel.BytesSent;

    public long BytesReceived => _channel.BytesReceived;

    /// <summary>
    /// Runs the session until the connection ends. For an outgoing connection pass no handshake: ours is sent and the
    /// peer's read. For an incoming one pass the peer's handshake, already read.
    /// </summary>
    /// <returns>Normally when the peer hangs up or <paramref name="cancellationToken"/> fires; protocol errors end it too (logged).</returns>
    public async Task RunAsync(Handshake? peerHandshake, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _stop = stop;
        var token = stop.Token;
        Task? sender = null;
        ITimer? keepAlive = null;
        ITimer? resync = null;
        try
        {
            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(token))
            {
                deadline.CancelAfter(_options.HandshakeTimeout);
                try
                {
                    await HandshakeAsync(peerHandshake, deadline.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!token.IsCancellationRequested)
                {
                    throw new SyncProtocolException("no handshake or hello in time");
                }
            }

            _established.TrySetResult();
            LogEstablished(_logger, Remote, Community, IsInitiator);
            sender = SendLoopAsync(token);
            keepAlive = _clock.CreateTimer(_ => KeepAlive(token), null, _options.KeepAliveInterval, _options.KeepAliveInterval);
            if (IsInitiator)
            {
                await SendReconcileAsync(StartPass(), token).ConfigureAwait(false);
                resync = _clock.CreateTimer(_ => Resync(token), null, _options.ResyncInterval, _options.ResyncInterval);
            }

            while (true)
            {
                var message = await ReadAsync(_options.IdleTimeout, token).ConfigureAwait(false);
                await HandleAsync(message, token).ConfigureAwait(false);
            }
        }
        catch (SyncProtocolException ex)
        {
            LogProtocolError(_logger, Remote, Community, ex.Message);
        }
        catch (PeerProtocolException ex)
        {
            LogProtocolError(_logger, Remote, Community, ex.Message);
        }
        catch (EndOfStreamException)
        {
            // The peer hung up.
        }
        catch (IOException ex)
        {
            LogConnectionError(_logger, Remote, ex.Message);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Shutdown, or a failed send from another task.
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            if (keepAlive is not null)
            {
                await keepAlive.DisposeAsync().ConfigureAwait(false);
            }

            if (resync is not null)
            {
                await resync.DisposeAsync().ConfigureAwait(false);
            }

            if (sender is not null)
            {
                await sender.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            _established.TrySetCanceled(CancellationToken.None);
            _firstPass.TrySetCanceled(CancellationToken.None);
            _stop = null;
        }
    }

    /// <summary>Frees the session's semaphores. Call after <see cref="RunAsync"/> has returned.</summary>
    public void Dispose()
    {
        _work.Dispose();
        _batchSlots.Dispose();
    }

    /// <summary>Ends the session (the owner of the connection then closes it).</summary>
    public void Stop()
    {
        try
        {
            _stop?.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already ended.
        }
    }

    /// <summary>
    /// Offers a new record to the peer unless it is known to have it: sent inline in the next batch when it is at
    /// most <see cref="SyncOptions.PushInlineMaxBytes"/>, otherwise offered by id. Thread-safe; returns at once.
    /// </summary>
    /// <returns>False when the peer is known to have the record or the session is not running.</returns>
    public bool Push(InfoHash id, int size)
    {
        if (!_established.Task.IsCompletedSuccessfully || _stop is not { IsCancellationRequested: false })
        {
            return false;
        }

        lock (_gate)
        {
            if (_known.Contains(id) || _queued.Contains(id))
            {
                return false;
            }

            if (size > _options.PushInlineMaxBytes)
            {
                if (_offered.Contains(id))
                {
                    return false;
                }

                _offered.Add(id);
                SendInBackground(new RecordOffer([id]));
                return true;
            }

            _queued.Add(id);
            _pushQueue.Enqueue(id);
        }

        try
        {
            _work.Release();
        }
        catch (ObjectDisposedException)
        {
            return false;
        }

        return true;
    }

    /// <summary>Starts a reconciliation pass now, unless one is running (initiator only).</summary>
    public void ReconcileNow() => Resync(_stop?.Token ?? new CancellationToken(canceled: true));

    private async Task HandshakeAsync(Handshake? peerHandshake, CancellationToken token)
    {
        var ours = new Handshake(Handshake.ReservedBits(extensionProtocol: true, dht: false, fast: false), SwarmKey, _peerId);
        Handshake theirs;
        if (peerHandshake is { } given)
        {
            theirs = given;
            await _channel.SendHandshakeAsync(ours, token).ConfigureAwait(false);
        }
        else
        {
            await _channel.SendHandshakeAsync(ours, token).ConfigureAwait(false);
            theirs = await _channel.ReadHandshakeAsync(token).ConfigureAwait(false);
        }

        if (theirs.InfoHash != SwarmKey)
        {
            throw new SyncProtocolException($"the peer answered for {theirs.InfoHash}, not the swarm of {Community}");
        }

        if (!theirs.SupportsExtensionProtocol)
        {
            throw new SyncProtocolException("the peer does not speak the extension protocol (BEP 10)");
        }

        var extension = new ExtensionHandshake
        {
            Messages = new Dictionary<string, byte> { [SyncOptions.ExtensionName] = SyncOptions.LocalExtensionId },
            ClientVersion = _options.ClientVersion,
            ListenPort = _options.ListenPort,
        };
        await _channel.SendAsync(new ExtendedMessage(ExtendedMessage.HandshakeId, extension.Encode()), token).ConfigureAwait(false);
        while (!_helloReceived || !_helloSent)
        {
            var message = await _channel.ReadMessageAsync(token).ConfigureAwait(false);
            await HandleAsync(message, token).ConfigureAwait(false);
        }
    }

    private async ValueTask<PeerMessage> ReadAsync(TimeSpan timeout, CancellationToken token)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(token);
        deadline.CancelAfter(timeout);
        try
        {
            return await _channel.ReadMessageAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!token.IsCancellationRequested)
        {
            throw new SyncProtocolException("idle too long");
        }
    }

    private async ValueTask HandleAsync(PeerMessage message, CancellationToken token)
    {
        switch (message)
        {
            case ExtendedMessage { ExtendedId: ExtendedMessage.HandshakeId } extended:
                if (ExtensionHandshake.TryDecode(extended.Payload, out var handshake, out _)
                    && handshake.Messages.TryGetValue(SyncOptions.ExtensionName, out var id))
                {
                    // BEP 10: a re-sent handshake updates the id; 0 disables the extension.
                    _peerExtensionId = id;
                }

                if (_peerExtensionId == 0)
                {
                    throw new SyncProtocolException("the peer does not offer upseed_sync");
                }

                if (!_helloSent)
                {
                    _helloSent = true;
                    await SendAsync(new SyncHello(SyncHello.CurrentVersion, Community), token).ConfigureAwait(false);
                }

                break;
            case ExtendedMessage { ExtendedId: SyncOptions.LocalExtensionId } extended:
                if (!SyncMessageCodec.TryDecode(extended.Payload, _options.Codec, out var sync, out var error))
                {
                    throw new SyncProtocolException(error);
                }

                await HandleSyncAsync(sync, token).ConfigureAwait(false);
                break;
            default:
                // Keep-alives, and BitTorrent messages that mean nothing on a sync connection.
                break;
        }
    }

    private async ValueTask HandleSyncAsync(SyncMessage message, CancellationToken token)
    {
        if (message is SyncHello hello)
        {
            if (_helloReceived)
            {
                throw new SyncProtocolException("a second hello");
            }

            if (hello.Version != SyncHello.CurrentVersion)
            {
                throw new SyncProtocolException($"sync version {hello.Version} is not supported");
            }

            if (hello.Community != Community)
            {
                throw new SyncProtocolException($"the peer's hello names community {hello.Community}, not {Community}");
            }

            _helloReceived = true;
            return;
        }

        if (!_helloReceived)
        {
            throw new SyncProtocolException($"{message.Type} before hello");
        }

        switch (message)
        {
            case ReconcileRequest request:
                Interlocked.Add(ref _reconcileBytesReceived, request.Ranges.Length);
                var answer = Respond(request);
                if (answer is not null)
                {
                    await SendReconcileAsync(answer, token).ConfigureAwait(false);
                }

                break;
            case ReconcileResponse response:
                Interlocked.Add(ref _reconcileBytesReceived, response.Ranges.Length);
                await SendReconcileAsync(Continue(response), token).ConfigureAwait(false);
                break;
            case RecordBatch batch:
                Ingest(batch);
                await SendAsync(new RecordBatchAck(batch.Batch), token).ConfigureAwait(false);
                break;
            case RecordBatchAck:
                if (Interlocked.Decrement(ref _unacked) < 0)
                {
                    throw new SyncProtocolException("an acknowledgement for no batch");
                }

                _batchSlots.Release();
                break;
            case RecordOffer offer:
                IReadOnlyList<InfoHash> wanted;
                lock (_gate)
                {
                    foreach (var offered in offer.Ids)
                    {
                        _known.Add(offered);
                    }
                }

                wanted = _source.Unknown(offer.Ids);
                if (wanted.Count > 0)
                {
                    await SendAsync(new RecordNeed(wanted), token).ConfigureAwait(false);
                }

                break;
            case RecordNeed need:
                lock (_gate)
                {
                    foreach (var needed in need.Ids)
                    {
                        if (_queued.Add(needed))
                        {
                            _pushQueue.Enqueue(needed);
                        }
                    }
                }

                _work.Release();
                break;
            default:
                throw new SyncProtocolException($"unexpected {message.Type}");
        }
    }

    private void Ingest(RecordBatch batch)
    {
        Interlocked.Add(ref _recordsReceived, batch.Records.Count);
        if (batch.Records.Count == 0)
        {
            return;
        }

        var results = _source.Ingest(batch.Records);
        List<SignedRecord>? accepted = null;
        lock (_gate)
        {
            foreach (var result in results)
            {
                if (result.Id is { } id)
                {
                    _known.Add(id);
                }

                if (result.Outcome == IngestOutcome.Accepted && result.Record is { } record)
                {
                    (accepted ??= []).Add(record);
                }
            }
        }

        if (accepted is not null)
        {
            Interlocked.Add(ref _recordsAccepted, accepted.Count);
            _accepted?.Invoke(this, accepted);
        }
    }

    // ---------- reconciliation, initiator ----------

    private ReconcileRequest? StartPass()
    {
        lock (_gate)
        {
            _passRunning = true;
            _passNow = _clock.GetUtcNow().ToUnixTimeSeconds();
            _windowIndex = -1;
            return NextWindow();
        }
    }

    // Opens the next window with items in it; null when the pass is over. Call with the lock held.
    private ReconcileRequest? NextWindow()
    {
        var ages = _options.Windows;
        while (++_windowIndex <= ages.Count)
        {
            long? to = _windowIndex == 0 ? null : _passNow - (long)ages[_windowIndex - 1].TotalSeconds;
            var from = _windowIndex == ages.Count ? 0 : Math.Max(0, _passNow - (long)ages[_windowIndex].TotalSeconds);
            if (to is { } end && end <= from)
            {
                continue;
            }

            _source.LoadStamps(Community, from, to ?? long.MaxValue, _stamps);
            var salt = RandomNumberGenerator.GetBytes(ItemHasher.SaltSize);
            _set = new SyncItemSet(SyncItems.From(_stamps), salt);
            _stamps.Clear();
            _reconciler = new Reconciler(_set, isInitiator: true, _options.Reconcile);
            _window++;
            return new ReconcileRequest(_window, Start: true, Final: false, from, to, salt, _reconciler.Initiate().ToArray());
        }

        _reconciler = null;
        _set = null;
        _passRunning = false;
        Interlocked.Increment(ref _passes);
        _firstPass.TrySetResult();
        return null;
    }

    // The initiator's answer to a response: the next round, or the window's last message and the next window's first.
    private IReadOnlyList<ReconcileRequest> Continue(ReconcileResponse response)
    {
        lock (_gate)
        {
            if (!IsInitiator || _reconciler is null || response.Window != _window)
            {
                throw new SyncProtocolException($"a reconciliation response for window {response.Window}, which is not open");
            }

            Interlocked.Increment(ref _reconcileRounds);
            _haves.Clear();
            var answer = _reconciler.Process(response.Ranges.Span, _haves);
            QueueHaves(_set!);
            if (answer.ExpectsReply)
            {
                return [new ReconcileRequest(_window, Start: false, Final: false, 0, null, default, answer.Message.ToArray())];
            }

            var final = new ReconcileRequest(_window, Start: false, Final: true, 0, null, default, answer.Message.ToArray());
            return NextWindow() is { } next ? [final, next] : [final];
        }
    }

    private void Resync(CancellationToken token)
    {
        if (!IsInitiator || token.IsCancellationRequested)
        {
            return;
        }

        lock (_gate)
        {
            if (_passRunning)
            {
                return;
            }
        }

        _ = RunResyncAsync(token);
    }

    private async Task RunResyncAsync(CancellationToken token)
    {
        try
        {
            await SendReconcileAsync(StartPass(), token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            Stop();
        }
    }

    // ---------- reconciliation, responder ----------

    private ReconcileResponse? Respond(ReconcileRequest request)
    {
        lock (_gate)
        {
            if (IsInitiator)
            {
                throw new SyncProtocolException("a reconciliation request to the initiator");
            }

            if (request.Start)
            {
                _source.LoadStamps(Community, request.From, request.To ?? long.MaxValue, _stamps);
                _responderSet = new SyncItemSet(SyncItems.From(_stamps), request.Salt.Span);
                _stamps.Clear();
                _responder = new Reconciler(_responderSet, isInitiator: false, _options.Reconcile);
                _responderWindow = request.Window;
                _responderOpen = true;
            }
            else if (!_responderOpen || request.Window != _responderWindow)
            {
                throw new SyncProtocolException($"a reconciliation request for window {request.Window}, which is not open");
            }

            _haves.Clear();
            var answer = _responder!.Process(request.Ranges.Span, _haves);
            QueueHaves(_responderSet!);
            if (request.Final)
            {
                if (answer.ExpectsReply || answer.HasRequests)
                {
                    throw new SyncProtocolException("the final reconciliation message still asks for an answer");
                }

                _responderOpen = false;
                _responder = null;
                _responderSet = null;
                return null;
            }

            return new ReconcileResponse(_responderWindow, answer.Message.ToArray());
        }
    }

    // Call with the lock held.
    private void QueueHaves(SyncItemSet set)
    {
        var added = false;
        foreach (var index in _haves)
        {
            var id = set[index].Id;
            if (!_known.Contains(id) && _queued.Add(id))
            {
                _haveQueue.Enqueue(id);
                added = true;
            }
        }

        if (added)
        {
            _work.Release();
        }
    }

    private async ValueTask SendReconcileAsync(ReconcileRequest? request, CancellationToken token)
    {
        if (request is not null)
        {
            await SendReconcileAsync([request], token).ConfigureAwait(false);
        }
    }

    private async ValueTask SendReconcileAsync(IReadOnlyList<ReconcileRequest> requests, CancellationToken token)
    {
        foreach (var request in requests)
        {
            Interlocked.Add(ref _reconcileBytesSent, request.Ranges.Length);
            await SendAsync(request, token).ConfigureAwait(false);
        }
    }

    private async ValueTask SendReconcileAsync(ReconcileResponse response, CancellationToken token)
    {
        Interlocked.Add(ref _reconcileBytesSent, response.Ranges.Length);
        await SendAsync(response, token).ConfigureAwait(false);
    }

    // ---------- record batches ----------

    private async Task SendLoopAsync(CancellationToken token)
    {
        var limit = _options.Codec.MaxMessageBytes;
        var carried = new Queue<(InfoHash Id, byte[] Bytes)>();
        var wanted = new List<InfoHash>(64);
        try
        {
            while (true)
            {
                await _work.WaitAsync(token).ConfigureAwait(false);
                while (true)
                {
                    await _batchSlots.WaitAsync(token).ConfigureAwait(false);
                    var records = new List<ReadOnlyMemory<byte>>();
                    var size = SyncMessageCodec.RecordBatchHeaderSize;
                    while (records.Count < _options.Codec.MaxRecordsPerBatch)
                    {
                        if (carried.Count == 0 && !Refill(carried, wanted))
                        {
                            break;
                        }

                        var (_, bytes) = carried.Peek();
                        var entry = SyncMessageCodec.RecordEntrySize(bytes.Length);
                        if (size + entry > limit && records.Count > 0)
                        {
                            break;
                        }

                        carried.Dequeue();
                        if (size + entry > limit)
                        {
                            continue; // larger than any message may be: not ours to send
                        }

                        records.Add(bytes);
                        size += entry;
                    }

                    if (records.Count == 0)
                    {
                        _batchSlots.Release();
                        break;
                    }

                    Interlocked.Increment(ref _unacked);
                    var batch = new RecordBatch(_nextBatch++, records);
                    await SendAsync(batch, token).ConfigureAwait(false);
                    Interlocked.Add(ref _recordsSent, records.Count);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The session ended.
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException)
        {
            Stop();
        }
    }

    // Takes the next ids (pushes first, then reconciliation results) and loads their bytes.
    private bool Refill(Queue<(InfoHash Id, byte[] Bytes)> carried, List<InfoHash> wanted)
    {
        wanted.Clear();
        lock (_gate)
        {
            while (wanted.Count < 64 && (_pushQueue.Count > 0 || _haveQueue.Count > 0))
            {
                var id = _pushQueue.Count > 0 ? _pushQueue.Dequeue() : _haveQueue.Dequeue();
                _queued.Remove(id);
                if (!_known.Contains(id))
                {
                    _known.Add(id);
                    wanted.Add(id);
                }
            }
        }

        if (wanted.Count == 0)
        {
            return false;
        }

        foreach (var record in _source.GetRecords(wanted))
        {
            carried.Enqueue(record);
        }

        return true;
    }

    private void KeepAlive(CancellationToken token)
    {
        if (_channel.SinceLastSent >= _options.KeepAliveInterval && !token.IsCancellationRequested)
        {
            _ = SendOrStopAsync(KeepAliveMessage.Instance, token);
        }
    }

    private void SendInBackground(SyncMessage message)
    {
        if (_stop is { } stop && _peerExtensionId != 0)
        {
            _ = SendOrStopAsync(new ExtendedMessage(_peerExtensionId, SyncMessageCodec.Encode(message)), stop.Token);
        }
    }

    private async Task SendOrStopAsync(PeerMessage message, CancellationToken token)
    {
        try
        {
            await _channel.SendAsync(message, token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or OperationCanceledException)
        {
            Stop();
        }
    }

    private ValueTask SendAsync(SyncMessage message, CancellationToken token) =>
        _channel.SendAsync(new ExtendedMessage(_peerExtensionId, SyncMessageCodec.Encode(message)), token);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sync with {Remote} for {Community} established (initiator: {Initiator})")]
    private static partial void LogEstablished(ILogger logger, EndPoint remote, string community, bool initiator);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync peer {Remote} ({Community}) disconnected: {Reason}")]
    private static partial void LogProtocolError(ILogger logger, EndPoint remote, string community, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sync peer {Remote}: connection error: {Reason}")]
    private static partial void LogConnectionError(ILogger logger, EndPoint remote, string reason);
}
