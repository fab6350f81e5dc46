using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Upseed.Mqtt.Packets;

namespace Upseed.Mqtt.Client;

/// <summary>
/// Keeps one MQTT session alive across connections. It opens a <see cref="MqttConnection"/>, and when that ends waits
/// (backoff from <see cref="MqttClientOptions.ReconnectDelayMin"/> doubling to <see cref="MqttClientOptions.ReconnectDelayMax"/>,
/// ±20 % jitter) and starts over. After every CONNACK it re-sends the QoS 1 messages still unacknowledged, with DUP
/// set and their original packet identifiers [MQTT-4.4.0-1], before anything new, then subscribes again. QoS 1
/// messages outlive connections in memory; persisting them across process restarts is the caller's job (the bridge's
/// SQLite outbox). A connection that fails never stops the supervisor; only <see cref="DisposeAsync"/> does.
/// </summary>
public sealed partial class MqttClient : IAsyncDisposable
{
    private readonly Func<CancellationToken, Task<Stream>> _openStream;
    private readonly MqttClientOptions _options;
    private readonly IMqttMessageHandler _handler;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly LinkedList<PendingPublish> _order = new();
    private readonly Dictionary<ushort, LinkedListNode<PendingPublish>> _inFlight = [];
    private readonly HashSet<ushort> _requestIds = [];
    private readonly List<MqttSubscription> _subscriptions = [];
    private readonly InFlightWindow _window;
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private MqttConnection? _current;
    private MqttClientState _state = MqttClientState.Idle;
    private MqttProtocolVersion? _fallback;
    private ushort _nextPacketId;
    private Task _loop = Task.CompletedTask;
    private long _connectAttempts;
    private long _connections;
    private string? _lastError;
    private DateTimeOffset? _lastErrorAt;
    private DateTimeOffset? _connectedSince;

    /// <summary>A client for the broker at <paramref name="endpoint"/> (TCP or TLS). Call <see cref="Start"/>.</summary>
    public MqttClient(MqttEndpoint endpoint, MqttClientOptions options, IMqttMessageHandler handler, ILogger? logger = null, TimeProvider? timeProvider = null)
        : this(ct => MqttTransport.OpenAsync(endpoint, ct), endpoint?.ToString() ?? string.Empty, options, handler, logger, timeProvider)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
    }

    /// <summary>A client over any byte stream; <paramref name="openStream"/> is called for each attempt and the client owns what it returns.</summary>
    public MqttClient(Func<CancellationToken, Task<Stream>> openStream, string description, MqttClientOptions options, IMqttMessageHandler handler, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        _openStream = openStream ?? throw new ArgumentNullException(nameof(openStream));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _handler = handler ?? throw new ArgumentNullException(nameof(handler));
        Description = description ?? string.Empty;
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _window = new InFlightWindow(Math.Max(1, options.MaxInFlight));
        _nextPacketId = (ushort)Random.Shared.Next(1, ushort.MaxValue);
    }

    /// <summary>The broker, without credentials.</summary>
    public string Description { get; }

    public MqttTrafficCounters Counters { get; } = new();

    public MqttClientState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    public bool IsConnected => State == MqttClientState.Connected;

    public MqttClientStatus GetStatus()
    {
        lock (_gate)
        {
            return new MqttClientStatus
            {
                State = _state,
                Broker = Description,
                ProtocolVersion = _current?.Version,
                ConnectedSince = _connectedSince,
                LastError = _lastError,
                LastErrorAt = _lastErrorAt,
                ConnectAttempts = Interlocked.Read(ref _connectAttempts),
                Connections = Interlocked.Read(ref _connections),
                InFlight = _inFlight.Count,
                MessagesIn = Counters.MessagesIn,
                MessagesOut = Counters.MessagesOut,
                BytesIn = Counters.BytesIn,
                BytesOut = Counters.BytesOut,
            };
        }
    }

    /// <summary>Starts the connect loop in the background. Call once.</summary>
    /// <exception cref="InvalidOperationException">Already started or disposed.</exception>
    public void Start()
    {
        lock (_gate)
        {
            if (_state != MqttClientState.Idle)
            {
                throw new InvalidOperationException("The client was already started.");
            }

            _state = MqttClientState.Connecting;
            _loop = Task.Run(RunAsync, CancellationToken.None);
        }
    }

    /// <summary>Completes once connected (subscriptions restored, unacknowledged messages re-sent).</summary>
    public Task WaitUntilConnectedAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return _connected.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Adds subscriptions that every future connection restores, and sends them now when connected. Returns the
    /// SUBACK, or null when not connected (they go out with the next connection).
    /// </summary>
    /// <exception cref="MqttSubscribeException">The broker refused a filter.</exception>
    /// <exception cref="TimeoutException">No SUBACK within the request timeout.</exception>
    /// <exception cref="IOException">The connection ended first; the subscriptions are still restored on reconnect.</exception>
    public async Task<SubAckPacket?> SubscribeAsync(IReadOnlyList<MqttSubscription> subscriptions, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        MqttConnection? connection;
        lock (_gate)
        {
            foreach (var subscription in subscriptions)
            {
                _subscriptions.RemoveAll(s => s.Filter == subscription.Filter);
                _subscriptions.Add(subscription);
            }

            connection = _current;
        }

        return connection is null ? null : await SendSubscribeAsync(connection, subscriptions, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Forgets filters and unsubscribes now when connected.</summary>
    /// <exception cref="TimeoutException">No UNSUBACK within the request timeout.</exception>
    /// <exception cref="IOException">The connection ended first.</exception>
    public async Task UnsubscribeAsync(IReadOnlyList<string> filters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filters);
        MqttConnection? connection;
        ushort id;
        lock (_gate)
        {
            _subscriptions.RemoveAll(s => filters.Contains(s.Filter));
            connection = _current;
            if (connection is null)
            {
                return;
            }

            id = AllocatePacketIdLocked();
            _requestIds.Add(id);
        }

        try
        {
            await connection.UnsubscribeAsync(new UnsubscribePacket(id, filters), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            lock (_gate)
            {
                _requestIds.Remove(id);
            }
        }
    }

    /// <summary>
    /// Queues a message and returns once it holds a place in the in-flight window (so order is fixed), with a task
    /// that completes on its PUBACK. A QoS 1 message is kept until acknowledged, across reconnects. A QoS 0 message
    /// is sent only when connected; otherwise its result carries reason 0x80.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public async ValueTask<Task<MqttPublishResult>> EnqueuePublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qualityOfService = MqttQualityOfService.AtLeastOnce, bool retain = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (qualityOfService == MqttQualityOfService.ExactlyOnce)
        {
            throw new ArgumentOutOfRangeException(nameof(qualityOfService), "This client publishes at QoS 0 or 1.");
        }

        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
        if (qualityOfService == MqttQualityOfService.AtMostOnce)
        {
            var packet0 = new PublishPacket { Topic = topic, Payload = payload, Retain = retain };
            var sent = Volatile.Read(ref _current)?.Send(packet0) ?? false;
            return Task.FromResult(new MqttPublishResult(0, sent ? (byte)0 : (byte)0x80));
        }

        await _window.AcquireAsync(cancellationToken).ConfigureAwait(false);
        PendingPublish pending;
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                _window.Release();
                throw new ObjectDisposedException(nameof(MqttClient));
            }

            var id = AllocatePacketIdLocked();
            pending = new PendingPublish(new PublishPacket { Topic = topic, Payload = payload, QualityOfService = qualityOfService, Retain = retain, PacketId = id });
            _inFlight[id] = _order.AddLast(pending);
            if (_current is { } connection && connection.Send(pending.Packet))
            {
                pending.Sent = true;
            }
        }

        return pending.Done.Task;
    }

    /// <summary>Publishes and waits for the PUBACK (QoS 1), across reconnects.</summary>
    public async Task<MqttPublishResult> PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qualityOfService = MqttQualityOfService.AtLeastOnce, bool retain = false, CancellationToken cancellationToken = default)
    {
        var acknowledged = await EnqueuePublishAsync(topic, payload, qualityOfService, retain, cancellationToken).ConfigureAwait(false);
        return await acknowledged.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stops reconnecting, sends DISCONNECT on the current connection and waits for the loop to end. Unacknowledged publishes are cancelled.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        MqttConnection? connection;
        lock (_gate)
        {
            connection = _current;
        }

        if (connection is not null)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        await _loop.ConfigureAwait(false);
        List<PendingPublish> abandoned;
        lock (_gate)
        {
            _state = MqttClientState.Stopped;
            _current = null;
            abandoned = [.. _order];
            _order.Clear();
            _inFlight.Clear();
            _connected.TrySetException(new ObjectDisposedException(nameof(MqttClient)));
        }

        _window.FailAll(new ObjectDisposedException(nameof(MqttClient)));
        foreach (var pending in abandoned)
        {
            pending.Done.TrySetCanceled();
        }

        _stopping.Dispose();
    }

    private async Task RunAsync()
    {
        var token = _stopping.Token;
        var failures = 0;
        while (!token.IsCancellationRequested)
        {
            SetState(MqttClientState.Connecting);
            Interlocked.Increment(ref _connectAttempts);
            var version = _options.Protocol switch
            {
                MqttProtocolPreference.V311 => MqttProtocolVersion.V311,
                MqttProtocolPreference.V500 => MqttProtocolVersion.V500,
                _ => _fallback ?? MqttProtocolVersion.V500,
            };
            MqttConnection connection;
            try
            {
                connection = await OpenAsync(version, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                break;
            }
            catch (MqttConnectException ex) when (ex.Error == MqttConnectError.UnsupportedProtocolVersion && _options.Protocol == MqttProtocolPreference.Auto && version == MqttProtocolVersion.V500)
            {
                _fallback = MqttProtocolVersion.V311;
                LogFallback(_logger, Description);
                continue;
            }
            catch (Exception ex)
            {
                // Whatever broke this attempt (including a bug), the supervisor logs it and tries again later.
                var delay = Backoff(failures++);
                RecordError(ex.Message);
                LogConnectFailed(_logger, Description, ex.Message, delay.TotalSeconds);
                if (!await DelayAsync(delay, token).ConfigureAwait(false))
                {
                    break;
                }

                continue;
            }

            Interlocked.Increment(ref _connections);
            var started = _time.GetTimestamp();
            List<MqttSubscription> subscriptions;
            int resent = 0;
            lock (_gate)
            {
                _window.SetLimit(Math.Min(_options.MaxInFlight, connection.ReceiveMaximum));
                foreach (var pending in _order)
                {
                    // [MQTT-4.4.0-1]: unacknowledged PUBLISHes go again with their original identifiers, DUP set
                    // when they had been sent before [MQTT-3.3.1-1].
                    var packet = pending.Sent ? pending.Packet with { Dup = true } : pending.Packet;
                    if (connection.Send(packet))
                    {
                        resent += pending.Sent ? 1 : 0;
                        pending.Sent = true;
                    }
                }

                _current = connection;
                _state = MqttClientState.Connected;
                _connectedSince = _time.GetUtcNow();
                subscriptions = [.. _subscriptions];
            }

            LogConnected(_logger, Description, connection.Version == MqttProtocolVersion.V500 ? "5" : "3.1.1", connection.SessionPresent, resent);
            if (subscriptions.Count > 0)
            {
                try
                {
                    await SendSubscribeAsync(connection, subscriptions, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception ex) when (ex is MqttSubscribeException or IOException or TimeoutException)
                {
                    RecordError(ex.Message);
                    LogSubscribeFailed(_logger, Description, ex.Message);
                }
            }

            lock (_gate)
            {
                _connected.TrySetResult();
            }

            MqttCloseReason reason;
            try
            {
                reason = await connection.Completion.WaitAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                break;
            }

            lock (_gate)
            {
                _current = null;
                _connectedSince = null;
                if (_connected.Task.IsCompleted)
                {
                    _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }

            await connection.DisposeAsync().ConfigureAwait(false);
            if (reason == MqttCloseReason.Disposed)
            {
                continue;
            }

            RecordError($"The connection to {Description} ended ({reason}): {connection.CloseMessage}.");
            // A connection that lived a while resets the backoff; one that dies at once (a broker that accepts and
            // then breaks) keeps it growing.
            failures = _time.GetElapsedTime(started) > _options.ReconnectDelayMax ? 0 : failures + 1;
            var wait = Backoff(failures - 1);
            LogReconnecting(_logger, Description, wait.TotalSeconds);
            if (!await DelayAsync(wait, token).ConfigureAwait(false))
            {
                break;
            }
        }
    }

    private async Task<MqttConnection> OpenAsync(MqttProtocolVersion version, CancellationToken token)
    {
        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, timeout.Token);
        Stream stream;
        try
        {
            stream = await _openStream(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !token.IsCancellationRequested)
        {
            throw new MqttConnectException(MqttConnectError.Timeout, $"Could not reach the broker at {Description} within {_options.ConnectTimeout.TotalSeconds:0.#} s.", innerException: ex);
        }

        return await MqttConnection.ConnectAsync(stream, Description, _options, version, _handler, OnPubAck, Counters, _logger, _time, token).ConfigureAwait(false);
    }

    private async Task<SubAckPacket> SendSubscribeAsync(MqttConnection connection, IReadOnlyList<MqttSubscription> subscriptions, CancellationToken cancellationToken)
    {
        ushort id;
        lock (_gate)
        {
            id = AllocatePacketIdLocked();
            _requestIds.Add(id);
        }

        try
        {
            var subAck = await connection.SubscribeAsync(new SubscribePacket(id, subscriptions), cancellationToken).ConfigureAwait(false);
            var refused = subscriptions.Where((_, i) => i >= subAck.ReasonCodes.Count || subAck.ReasonCodes[i] >= 0x80).Select(s => s.Filter).ToList();
            if (refused.Count > 0)
            {
                throw new MqttSubscribeException($"The broker at {Description} refused the subscription to {string.Join(", ", refused)} (codes {string.Join(", ", subAck.ReasonCodes.Select(c => $"0x{c:X2}"))}).");
            }

            return subAck;
        }
        finally
        {
            lock (_gate)
            {
                _requestIds.Remove(id);
            }
        }
    }

    private void OnPubAck(PubAckPacket ack)
    {
        PendingPublish? pending = null;
        lock (_gate)
        {
            if (_inFlight.Remove(ack.PacketId, out var node))
            {
                _order.Remove(node);
                pending = node.Value;
            }
        }

        if (pending is null)
        {
            LogUnknownAck(_logger, Description, ack.PacketId);
            return;
        }

        _window.Release();
        if (ack.ReasonCode >= 0x80)
        {
            LogPublishRefused(_logger, Description, pending.Packet.Topic, ack.ReasonCode);
        }

        pending.Done.TrySetResult(new MqttPublishResult(ack.PacketId, ack.ReasonCode));
    }

    private ushort AllocatePacketIdLocked()
    {
        // The window keeps in-flight ids far below 65,535, so a free one is always near.
        while (true)
        {
            _nextPacketId = (ushort)(_nextPacketId == ushort.MaxValue ? 1 : _nextPacketId + 1);
            if (!_inFlight.ContainsKey(_nextPacketId) && !_requestIds.Contains(_nextPacketId))
            {
                return _nextPacketId;
            }
        }
    }

    private TimeSpan Backoff(int failures)
    {
        var exponent = Math.Clamp(failures, 0, 20);
        var baseDelay = Math.Min(_options.ReconnectDelayMax.TotalMilliseconds, _options.ReconnectDelayMin.TotalMilliseconds * Math.Pow(2, exponent));
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromMilliseconds(baseDelay * jitter);
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken token)
    {
        SetState(MqttClientState.WaitingToReconnect);
        try
        {
            await Task.Delay(delay, _time, token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void SetState(MqttClientState state)
    {
        lock (_gate)
        {
            if (_state != MqttClientState.Stopped)
            {
                _state = state;
            }
        }
    }

    private void RecordError(string message)
    {
        lock (_gate)
        {
            _lastError = message;
            _lastErrorAt = _time.GetUtcNow();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "MQTT: could not connect to {Broker}: {Message} Retrying in {Delay:0.#} s.")]
    private static partial void LogConnectFailed(ILogger logger, string broker, string message, double delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT: connected to {Broker} (MQTT {Version}, session present: {SessionPresent}, {Resent} unacknowledged messages re-sent)")]
    private static partial void LogConnected(ILogger logger, string broker, string version, bool sessionPresent, int resent);

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT: {Broker} does not speak MQTT 5; using 3.1.1")]
    private static partial void LogFallback(ILogger logger, string broker);

    [LoggerMessage(Level = LogLevel.Information, Message = "MQTT: reconnecting to {Broker} in {Delay:0.#} s")]
    private static partial void LogReconnecting(ILogger logger, string broker, double delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "MQTT: subscribing at {Broker} failed: {Message}")]
    private static partial void LogSubscribeFailed(ILogger logger, string broker, string message);

    [LoggerMessage(Level = LogLevel.Debug, Message = "MQTT: {Broker} acknowledged packet {PacketId}, which is not in flight (a duplicate)")]
    private static partial void LogUnknownAck(ILogger logger, string broker, ushort packetId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT: {Broker} refused a message to {Topic} with reason 0x{Code:X2}; it is not sent again")]
    private static partial void LogPublishRefused(ILogger logger, string broker, string topic, byte code);

    private sealed class PendingPublish(PublishPacket packet)
    {
        public PublishPacket Packet { get; } = packet;

        public TaskCompletionSource<MqttPublishResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Sent { get; set; }
    }
}
