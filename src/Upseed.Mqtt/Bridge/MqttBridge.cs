using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Upseed.Metainfo;
using Upseed.Mqtt.Client;
using Upseed.Mqtt.Outbox;
using Upseed.Mqtt.Packets;
using Upseed.Records;
using Upseed.Store;

namespace Upseed.Mqtt.Bridge;

/// <summary>
/// Moves signed records between a node and an MQTT broker. Up: <see cref="Offer"/> queues a record the node accepted
/// (persisted in <see cref="SqliteOutboundQueue"/>); a publisher sends the queue in order at QoS 1 whenever connected
/// and deletes each row on its PUBACK. Down: arriving records are decoded, checked against their topic and the down
/// policy, deduplicated by id and handed to the <see cref="IMqttRecordSink"/> in batches; the broker gets its PUBACK
/// only after the sink has taken the batch. Records that came from MQTT are remembered and never offered back.
/// The broker is only a pipe: the sink validates every record as on any other path.
/// </summary>
public sealed partial class MqttBridge : IMqttMessageHandler, IAsyncDisposable
{
    private readonly MqttBridgeOptions _options;
    private readonly IMqttRecordSink _sink;
    private readonly SqliteOutboundQueue _queue;
    private readonly bool _ownsQueue;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly MqttClient _client;
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly SemaphoreSlim _ackedSignal = new(0, 1);
    private readonly ConcurrentQueue<long> _acked = new();
    // Ids taken from MQTT and not yet written to mqtt_seen: written by the maintenance loop, off the PUBACK path,
    // so an arriving batch costs one commit (the sink's), not two.
    private readonly ConcurrentDictionary<InfoHash, byte> _unsavedSeen = new();
    private readonly Lock _gate = new();
    private Task _publisher = Task.CompletedTask;
    private Task _deleter = Task.CompletedTask;
    private int _started;
    private long _published;
    private long _accepted;
    private long _duplicates;
    private long _rejected;
    private long _filtered;
    private string? _lastRejection;
    private string? _lastError;
    private DateTimeOffset? _lastErrorAt;

    /// <summary>A bridge over a queue the caller owns (and disposes after the bridge).</summary>
    public MqttBridge(MqttBridgeOptions options, IMqttRecordSink sink, SqliteOutboundQueue queue, ILogger? logger = null, TimeProvider? timeProvider = null)
        : this(options, sink, queue, ownsQueue: false, logger, timeProvider)
    {
    }

    private MqttBridge(MqttBridgeOptions options, IMqttRecordSink sink, SqliteOutboundQueue queue, bool ownsQueue, ILogger? logger, TimeProvider? timeProvider)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        _queue = queue ?? throw new ArgumentNullException(nameof(queue));
        _ownsQueue = ownsQueue;
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _client = new MqttClient(options.Endpoint, options.ClientOptions(queue.DatabasePath), this, _logger, _time);
    }

    /// <summary>
    /// A bridge that opens its queue tables in the database at <paramref name="databasePath"/> (the node's store
    /// database) and disposes them with itself.
    /// </summary>
    public static MqttBridge Open(MqttBridgeOptions options, IMqttRecordSink sink, string databasePath, ILogger? logger = null, TimeProvider? timeProvider = null) =>
        new(options, sink, SqliteOutboundQueue.Open(databasePath), ownsQueue: true, logger, timeProvider);

    public MqttBridgeOptions Options => _options;

    /// <summary>The MQTT client underneath, for tests and diagnostics.</summary>
    public MqttClient Client => _client;

    /// <summary>Connects (in the background, reconnecting for ever) and starts publishing the queue. Call once.</summary>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("The bridge was already started.");
        }

        // No Local (MQTT 5 only): the broker does not echo our own records back; under 3.1.1 they return and are
        // dropped as duplicates by id.
        var subscriptions = MqttTopics.Filters(_options.TopicPrefix, _options.DownCommunities)
            .Select(filter => new MqttSubscription(filter, MqttQualityOfService.AtLeastOnce, NoLocal: true))
            .ToList();
        // Not connected yet: the client sends these with every connection.
        _ = _client.SubscribeAsync(subscriptions, CancellationToken.None);
        _client.Start();
        _publisher = Task.Run(PublishLoopAsync);
        _deleter = Task.Run(DeleteLoopAsync);
        var broker = _options.Describe();
        LogStarted(_logger, broker);
    }

    /// <summary>
    /// Offers a record the node has accepted (made here, or received from any path but MQTT). It is persisted
    /// before this returns when <see cref="MqttOfferResult.Queued"/>.
    /// </summary>
    public MqttOfferResult Offer(SignedRecord record) => OfferMany([record])[0];

    /// <summary>Offers several records; those queued are persisted in one transaction, in order.</summary>
    public IReadOnlyList<MqttOfferResult> OfferMany(IReadOnlyList<SignedRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var results = new MqttOfferResult[records.Count];
        var toQueue = new List<(ReadOnlyMemory<byte>, string, ReadOnlyMemory<byte>)>();
        var queuedIndexes = new List<int>();
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            var id = record.Id.ToArray();
            if (record.Community is { } community && _options.UpCommunities.Count > 0 && !_options.UpCommunities.Contains(community))
            {
                results[i] = MqttOfferResult.NotInPolicy;
            }
            else if (WasReceived(record.Id))
            {
                results[i] = MqttOfferResult.CameFromMqtt;
            }
            else
            {
                toQueue.Add((id, MqttTopics.For(_options.TopicPrefix, record), record.Bytes));
                queuedIndexes.Add(i);
            }
        }

        if (toQueue.Count > 0)
        {
            // INSERT OR IGNORE: a record already waiting stays where it is.
            var added = _queue.EnqueueMany(toQueue);
            for (var k = 0; k < queuedIndexes.Count; k++)
            {
                results[queuedIndexes[k]] = added[k] ? MqttOfferResult.Queued : MqttOfferResult.AlreadyQueued;
            }

            Wake(_wake);
        }

        return results;
    }

    public MqttBridgeStatus GetStatus()
    {
        var client = _client.GetStatus();
        string? lastError;
        DateTimeOffset? lastErrorAt;
        lock (_gate)
        {
            (lastError, lastErrorAt) = _lastErrorAt is { } own && (client.LastErrorAt is null || own >= client.LastErrorAt)
                ? (_lastError, _lastErrorAt)
                : (client.LastError, client.LastErrorAt);
        }

        return new MqttBridgeStatus
        {
            Connected = client.State == MqttClientState.Connected,
            State = client.State,
            Broker = client.Broker,
            TopicPrefix = _options.TopicPrefix,
            ProtocolVersion = client.ProtocolVersion,
            ConnectedSince = client.ConnectedSince,
            QueueLength = _queue.Count,
            LastError = lastError,
            LastErrorAt = lastErrorAt,
            Reconnects = Math.Max(0, client.Connections - 1),
            MessagesIn = client.MessagesIn,
            MessagesOut = client.MessagesOut,
            BytesIn = client.BytesIn,
            BytesOut = client.BytesOut,
            RecordsPublished = Interlocked.Read(ref _published),
            RecordsAccepted = Interlocked.Read(ref _accepted),
            RecordsDuplicate = Interlocked.Read(ref _duplicates),
            RecordsRejected = Interlocked.Read(ref _rejected),
            RecordsFiltered = Interlocked.Read(ref _filtered),
            LastRejection = Volatile.Read(ref _lastRejection),
        };
    }

    /// <summary>Called by the client with each batch of arriving messages; acknowledged when this returns.</summary>
    ValueTask IMqttMessageHandler.HandleAsync(IReadOnlyList<PublishPacket> messages, CancellationToken cancellationToken)
    {
        var candidates = new List<ReadOnlyMemory<byte>>();
        var candidateIds = new List<ReadOnlyMemory<byte>>();
        var seenIds = new List<ReadOnlyMemory<byte>>();
        var batchIds = new HashSet<InfoHash>();
        foreach (var message in messages)
        {
            if (!message.Topic.StartsWith(_options.TopicPrefix + "/", StringComparison.Ordinal))
            {
                Reject($"a message on '{message.Topic}', outside the prefix '{_options.TopicPrefix}'");
                continue;
            }

            if (!RecordCodec.TryDecode(message.Payload, _sink.ValidationOptions, out var record, out var rejection))
            {
                Reject($"a message on '{message.Topic}' is not a valid record: {rejection.Reason}: {rejection.Message}");
                continue;
            }

            var expected = MqttTopics.For(_options.TopicPrefix, record);
            if (!string.Equals(expected, message.Topic, StringComparison.Ordinal))
            {
                // A record filed under another community's topic would slip past the down policy of its own.
                Reject($"record {record.Id} arrived on '{message.Topic}' but belongs on '{expected}'");
                continue;
            }

            if (record.Community is { } community && _options.DownCommunities.Count > 0 && !_options.DownCommunities.Contains(community))
            {
                Interlocked.Increment(ref _filtered);
                continue;
            }

            var id = record.Id.ToArray();
            if (!batchIds.Add(record.Id) || WasReceived(record.Id) || _sink.Contains(record.Id))
            {
                Interlocked.Increment(ref _duplicates);
                seenIds.Add(id);
                continue;
            }

            candidates.Add(message.Payload);
            candidateIds.Add(id);
        }

        if (candidates.Count > 0)
        {
            var results = _sink.Ingest(candidates);
            foreach (var result in results)
            {
                switch (result.Outcome)
                {
                    case IngestOutcome.Accepted:
                        Interlocked.Increment(ref _accepted);
                        break;
                    case IngestOutcome.Duplicate:
                        Interlocked.Increment(ref _duplicates);
                        break;
                    default:
                        Reject($"record {result.Id} was refused: {result.Rejection?.Reason}: {result.Rejection?.Message}");
                        break;
                }
            }

            seenIds.AddRange(candidateIds);
        }

        foreach (var seen in seenIds)
        {
            _unsavedSeen.TryAdd(new InfoHash(seen.Span), 0);
        }

        if (seenIds.Count > 0)
        {
            Wake(_ackedSignal);
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        await _client.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAll(_publisher, _deleter).ConfigureAwait(false);
        DeleteAcked();
        if (_ownsQueue)
        {
            _queue.Dispose();
        }

        _stopping.Dispose();
        _wake.Dispose();
        _ackedSignal.Dispose();
    }

    private async Task PublishLoopAsync()
    {
        var token = _stopping.Token;
        var lastSequence = 0L;
        try
        {
            while (!token.IsCancellationRequested)
            {
                await _client.WaitUntilConnectedAsync(token).ConfigureAwait(false);
                var batch = _queue.ReadBatch(lastSequence, _options.PublishBatch);
                if (batch.Count == 0)
                {
                    // Offer wakes this at once; the timeout only bounds how long a missed wake could delay a row.
                    await _wake.WaitAsync(TimeSpan.FromSeconds(1), token).ConfigureAwait(false);
                    continue;
                }

                foreach (var message in batch)
                {
                    // Holds a slot of the in-flight window; the client keeps the message (and re-sends it with DUP
                    // after a reconnect) until the broker acknowledges it.
                    var acknowledged = await _client.EnqueuePublishAsync(message.Topic, message.Payload, MqttQualityOfService.AtLeastOnce, cancellationToken: token).ConfigureAwait(false);
                    lastSequence = message.Sequence;
                    var sequence = message.Sequence;
                    _ = acknowledged.ContinueWith(
                        (task, state) => ((MqttBridge)state!).OnAcknowledged(sequence, task),
                        this,
                        CancellationToken.None,
                        TaskContinuationOptions.ExecuteSynchronously,
                        TaskScheduler.Default);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (ObjectDisposedException) when (token.IsCancellationRequested)
        {
            // The client went first during shutdown.
        }
    }

    private void OnAcknowledged(long sequence, Task<MqttPublishResult> task)
    {
        if (!task.IsCompletedSuccessfully)
        {
            // Cancelled at shutdown: the row stays and goes out next time.
            return;
        }

        if (!task.Result.IsSuccess)
        {
            // [MQTT-4.4.0-2]: a refused message is acknowledged all the same; keeping it would block the queue.
            RecordError($"The broker refused a record with reason 0x{task.Result.ReasonCode:X2}; it was dropped from the queue.");
        }

        Interlocked.Increment(ref _published);
        _acked.Enqueue(sequence);
        Wake(_ackedSignal);
    }

    private async Task DeleteLoopAsync()
    {
        var token = _stopping.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                await _ackedSignal.WaitAsync(token).ConfigureAwait(false);
                DeleteAcked();
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Stopping; DisposeAsync deletes what is left.
        }
    }

    private void DeleteAcked()
    {
        var sequences = new List<long>();
        while (_acked.TryDequeue(out var sequence))
        {
            sequences.Add(sequence);
        }

        _queue.Delete(sequences);
        var seen = _unsavedSeen.Keys.ToList();
        if (seen.Count > 0)
        {
            _queue.MarkReceived([.. seen.Select(id => (ReadOnlyMemory<byte>)id.ToArray())]);
            foreach (var id in seen)
            {
                _unsavedSeen.TryRemove(id, out _);
            }
        }
    }

    private bool WasReceived(InfoHash id) => _unsavedSeen.ContainsKey(id) || _queue.WasReceived(id.ToArray());

    private void Reject(string reason)
    {
        Interlocked.Increment(ref _rejected);
        Volatile.Write(ref _lastRejection, reason);
        LogRejected(_logger, reason);
    }

    private void RecordError(string message)
    {
        lock (_gate)
        {
            _lastError = message;
            _lastErrorAt = _time.GetUtcNow();
        }

        LogError(_logger, message);
    }

    private static void Wake(SemaphoreSlim signal)
    {
        if (signal.CurrentCount == 0)
        {
            try
            {
                signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another caller woke it first.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT bridge to {Broker} started")]
    private static partial void LogStarted(ILogger logger, string broker);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT bridge refused {Reason}")]
    private static partial void LogRejected(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "MQTT bridge: {Message}")]
    private static partial void LogError(ILogger logger, string message);
}
