using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Upseed.Mqtt.Formatter;
using Upseed.Mqtt.Packets;

namespace Upseed.Mqtt.Client;

/// <summary>
/// One connection to a broker, from CONNECT to its end: frames packets over a stream, answers PUBLISH with PUBACK
/// once the handler has taken the batch, matches SUBACK/UNSUBACK to requests by packet id (each with a timeout, all
/// failed when the connection ends), and keeps the link alive with PINGREQ. A malformed or oversized packet, a silent
/// broker or a broken socket ends this connection with a logged reason (see <see cref="Completion"/>); it never
/// reconnects: that is <see cref="MqttClient"/>'s job.
/// </summary>
public sealed partial class MqttConnection : IAsyncDisposable
{
    private const int WriteBatchSize = 64 * 1024;

    private readonly Stream _stream;
    private readonly MqttClientOptions _options;
    private readonly IMqttMessageHandler _handler;
    private readonly Action<PubAckPacket> _onPubAck;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly MqttTrafficCounters _counters;
    private readonly MqttFrameBuffer _frames;
    private readonly Channel<(byte[] Buffer, int Length, bool IsPublish)> _outgoing =
        Channel.CreateUnbounded<(byte[], int, bool)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<ushort, TaskCompletionSource<MqttPacket>> _requests = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource<MqttCloseReason> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimeSpan _keepAlive;
    private int _closeStarted;
    private long _lastSentTicks;
    private long _lastReceivedTicks;
    private long _pingSentTicks;
    private Task _readLoop = Task.CompletedTask;
    private Task _writeLoop = Task.CompletedTask;
    private Task _keepAliveLoop = Task.CompletedTask;

    private MqttConnection(Stream stream, MqttClientOptions options, MqttProtocolVersion version, ConnAckPacket connAck, MqttFrameBuffer frames,
        IMqttMessageHandler handler, Action<PubAckPacket> onPubAck, ILogger logger, TimeProvider time, MqttTrafficCounters counters, string description)
    {
        _stream = stream;
        _options = options;
        Version = version;
        ConnAck = connAck;
        _frames = frames;
        _handler = handler;
        _onPubAck = onPubAck;
        _logger = logger;
        _time = time;
        _counters = counters;
        Description = description;
        _keepAlive = connAck.Properties.TryGetInteger(MqttPropertyId.ServerKeepAlive, out var serverKeepAlive)
            ? TimeSpan.FromSeconds(serverKeepAlive)
            : options.KeepAlive;
        ReceiveMaximum = connAck.Properties.TryGetInteger(MqttPropertyId.ReceiveMaximum, out var receiveMaximum) ? (int)receiveMaximum : ushort.MaxValue;
        MaximumPacketSize = connAck.Properties.TryGetInteger(MqttPropertyId.MaximumPacketSize, out var maximumPacketSize) ? maximumPacketSize : uint.MaxValue;
        var now = time.GetTimestamp();
        _lastSentTicks = now;
        _lastReceivedTicks = now;
    }

    public MqttProtocolVersion Version { get; }

    public ConnAckPacket ConnAck { get; }

    /// <summary>The broker kept this client's session (MQTT-3.2.2-2): its subscriptions and queued messages are still there.</summary>
    public bool SessionPresent => ConnAck.SessionPresent;

    /// <summary>QoS 1 messages the broker accepts in flight (MQTT 5 Receive Maximum; 65,535 otherwise).</summary>
    public int ReceiveMaximum { get; }

    /// <summary>The largest packet the broker accepts (MQTT 5 Maximum Packet Size; unlimited otherwise).</summary>
    public uint MaximumPacketSize { get; }

    /// <summary>The broker's address, for logs.</summary>
    public string Description { get; }

    /// <summary>Completes when the connection has ended, with the reason; <see cref="CloseMessage"/> says it in a sentence.</summary>
    public Task<MqttCloseReason> Completion => _closed.Task;

    public string? CloseMessage { get; private set; }

    public bool IsOpen => Volatile.Read(ref _closeStarted) == 0;

    /// <summary>
    /// Takes ownership of <paramref name="stream"/>, sends CONNECT and waits for CONNACK. The stream is disposed if
    /// the broker refuses or the exchange fails.
    /// </summary>
    /// <exception cref="MqttConnectException">Refused, timed out, or the broker answered with something other than a valid CONNACK.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static async Task<MqttConnection> ConnectAsync(
        Stream stream,
        string description,
        MqttClientOptions options,
        MqttProtocolVersion version,
        IMqttMessageHandler handler,
        Action<PubAckPacket> onPubAck,
        MqttTrafficCounters counters,
        ILogger logger,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentNullException.ThrowIfNull(onPubAck);
        ArgumentNullException.ThrowIfNull(counters);
        var frames = new MqttFrameBuffer(options.Codec);
        using var timeout = new CancellationTokenSource(options.ConnectTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            var connect = MqttPacketCodec.Encode(BuildConnect(options, version), version);
            await stream.WriteAsync(connect, linked.Token).ConfigureAwait(false);
            await stream.FlushAsync(linked.Token).ConfigureAwait(false);
            counters.Sent(false, connect.Length);
            var connAck = await ReadConnAckAsync(stream, frames, version, counters, description, linked.Token).ConfigureAwait(false);
            if (connAck.ReasonCode != 0)
            {
                var v5 = version == MqttProtocolVersion.V500;
                var error = (v5, connAck.ReasonCode) switch
                {
                    (false, 1) or (true, 0x84) => MqttConnectError.UnsupportedProtocolVersion,
                    (false, 4) or (true, 0x86) => MqttConnectError.BadCredentials,
                    (false, 5) or (true, 0x87) when options.UserName is not null => MqttConnectError.BadCredentials,
                    _ => MqttConnectError.Refused,
                };
                throw new MqttConnectException(error, $"The broker at {description} refused the connection: {MqttConnectException.Describe(connAck.ReasonCode, v5)}.", connAck.ReasonCode);
            }

            var connection = new MqttConnection(stream, options, version, connAck, frames, handler, onPubAck, logger, time, counters, description);
            connection.Start();
            return connection;
        }
        catch (Exception ex)
        {
            frames.Dispose();
            await stream.DisposeAsync().ConfigureAwait(false);
            if (ex is OperationCanceledException && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new MqttConnectException(MqttConnectError.Timeout, $"The broker at {description} did not answer CONNECT within {options.ConnectTimeout.TotalSeconds:0.#} s.", innerException: ex);
            }

            if (ex is MqttProtocolException protocol)
            {
                throw new MqttConnectException(MqttConnectError.ProtocolError, $"The broker at {description} answered CONNECT with a bad packet: {protocol.Message}", innerException: ex);
            }

            if (ex is IOException or SocketException)
            {
                throw new MqttConnectException(MqttConnectError.Network, $"The connection to {description} broke during CONNECT: {ex.Message}", innerException: ex);
            }

            throw;
        }
    }

    private static ConnectPacket BuildConnect(MqttClientOptions options, MqttProtocolVersion version)
    {
        var properties = MqttProperties.Empty;
        if (version == MqttProtocolVersion.V500)
        {
            // Clean Start 0 alone would end the session at disconnect (MQTT 5 §3.1.2.11.2); the expiry keeps it.
            var expiry = options.SessionExpiry >= TimeSpan.FromSeconds(uint.MaxValue) ? uint.MaxValue : (uint)options.SessionExpiry.TotalSeconds;
            properties = new MqttProperties([
                new MqttProperty(MqttPropertyId.SessionExpiryInterval, expiry),
                new MqttProperty(MqttPropertyId.ReceiveMaximum, (uint)Math.Clamp(options.MaxInboundBatch, 1, ushort.MaxValue)),
                new MqttProperty(MqttPropertyId.MaximumPacketSize, (uint)options.Codec.MaxPacketSize),
            ]);
        }

        return new ConnectPacket
        {
            ProtocolVersion = version,
            ClientId = options.ClientId,
            CleanSession = false,
            KeepAliveSeconds = (ushort)Math.Clamp(options.KeepAlive.TotalSeconds, 0, ushort.MaxValue),
            UserName = options.UserName,
            Password = options.Password is null ? default(ReadOnlyMemory<byte>?) : Encoding.UTF8.GetBytes(options.Password),
            Properties = properties,
        };
    }

    private static async Task<ConnAckPacket> ReadConnAckAsync(Stream stream, MqttFrameBuffer frames, MqttProtocolVersion version, MqttTrafficCounters counters, string description, CancellationToken cancellationToken)
    {
        while (true)
        {
            // A 3.1.1 broker answers a level-5 CONNECT with the 2-byte CONNACK 0x01 (3.1.1 §3.1.2.2); a 5.0 CONNACK
            // always has a property length, so exactly 2 bytes means the old format.
            if (frames.TryPeekHeader(out var header))
            {
                if (header.Type != MqttPacketType.ConnAck)
                {
                    throw new MqttProtocolException(MqttProtocolError.UnknownPacketType, $"The first packet is {header.Type}, not CONNACK [MQTT-3.2.0-1].");
                }

                var readAs = version == MqttProtocolVersion.V500 && header.RemainingLength == 2 ? MqttProtocolVersion.V311 : version;
                if (frames.TryRead(readAs, out var packet))
                {
                    counters.Received(false);
                    var connAck = (ConnAckPacket)packet;
                    if (readAs != version && connAck.ReasonCode == 0)
                    {
                        throw new MqttProtocolException(MqttProtocolError.UnsupportedProtocol, "The broker accepted a level-5 CONNECT with a 3.1.1 CONNACK.");
                    }

                    return readAs != version && connAck.ReasonCode == 1 ? connAck with { ReasonCode = 0x84 } : connAck;
                }
            }

            var read = await stream.ReadAsync(frames.GetWriteMemory(), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new MqttConnectException(MqttConnectError.Network, $"The broker at {description} closed the connection before CONNACK.");
            }

            counters.BytesReceived(read);
            frames.Advance(read);
        }
    }

    /// <summary>Queues a packet for sending. Returns false when the connection has ended.</summary>
    public bool Send(MqttPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        if (!IsOpen)
        {
            return false;
        }

        var size = MqttPacketCodec.Measure(packet, Version);
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        MqttPacketCodec.Encode(packet, Version, buffer);
        if (!_outgoing.Writer.TryWrite((buffer, size, packet is PublishPacket)))
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return false;
        }

        return true;
    }

    /// <summary>Sends SUBSCRIBE and waits for its SUBACK.</summary>
    /// <exception cref="TimeoutException">No SUBACK within the request timeout.</exception>
    /// <exception cref="IOException">The connection ended first.</exception>
    public async Task<SubAckPacket> SubscribeAsync(SubscribePacket packet, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(packet);
        return (SubAckPacket)await RequestAsync(packet, packet.PacketId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends UNSUBSCRIBE and waits for its UNSUBACK.</summary>
    /// <exception cref="TimeoutException">No UNSUBACK within the request timeout.</exception>
    /// <exception cref="IOException">The connection ended first.</exception>
    public async Task<UnsubAckPacket> UnsubscribeAsync(UnsubscribePacket packet, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(packet);
        return (UnsubAckPacket)await RequestAsync(packet, packet.PacketId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends DISCONNECT (so the broker drops no will and keeps the session), then closes.</summary>
    public async ValueTask DisposeAsync()
    {
        await CloseAsync(MqttCloseReason.Disposed, "closed by this node", new DisconnectPacket()).ConfigureAwait(false);
        _closing.Dispose();
    }

    private async Task<MqttPacket> RequestAsync(MqttPacket packet, ushort packetId, CancellationToken cancellationToken)
    {
        var waiter = new TaskCompletionSource<MqttPacket>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_requests.TryAdd(packetId, waiter))
        {
            throw new InvalidOperationException($"Packet identifier {packetId} is already waiting for an answer.");
        }

        try
        {
            if (!Send(packet))
            {
                throw new IOException($"The connection to {Description} has ended.");
            }

            return await waiter.Task.WaitAsync(_options.RequestTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The broker at {Description} did not answer {packet.Type} within {_options.RequestTimeout.TotalSeconds:0.#} s.");
        }
        finally
        {
            _requests.TryRemove(packetId, out _);
        }
    }

    private void Start()
    {
        _writeLoop = Task.Run(WriteLoopAsync);
        _readLoop = Task.Run(ReadLoopAsync);
        if (_keepAlive > TimeSpan.Zero)
        {
            _keepAliveLoop = Task.Run(KeepAliveLoopAsync);
        }
    }

    private async Task ReadLoopAsync()
    {
        var token = _closing.Token;
        var batch = new List<PublishPacket>();
        try
        {
            // Packets that arrived with the CONNACK are already buffered: decode before the first read.
            var first = true;
            while (!token.IsCancellationRequested)
            {
                if (!first)
                {
                    var read = await _stream.ReadAsync(_frames.GetWriteMemory(), token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        await CloseAsync(MqttCloseReason.ConnectionLost, "the broker closed the connection", null, fromReadLoop: true).ConfigureAwait(false);
                        return;
                    }

                    _counters.BytesReceived(read);
                    _frames.Advance(read);
                    Interlocked.Exchange(ref _lastReceivedTicks, _time.GetTimestamp());
                    Interlocked.Exchange(ref _pingSentTicks, 0);
                }

                first = false;
                while (_frames.TryRead(Version, out var packet))
                {
                    _counters.Received(packet is PublishPacket);
                    if (packet is PublishPacket publish)
                    {
                        batch.Add(publish);
                        if (batch.Count >= _options.MaxInboundBatch)
                        {
                            await DeliverAsync(batch, token).ConfigureAwait(false);
                        }
                    }
                    else if (!await HandleControlAsync(packet).ConfigureAwait(false))
                    {
                        return;
                    }
                }

                if (batch.Count > 0)
                {
                    await DeliverAsync(batch, token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Closing: CloseAsync already recorded the reason.
        }
        catch (MqttProtocolException ex)
        {
            // MQTT 5 §4.13.1: answer a malformed packet with DISCONNECT 0x81 (0x95 when it is too large) before closing.
            var code = ex.Error == MqttProtocolError.PacketTooLarge ? (byte)0x95 : (byte)0x81;
            await CloseAsync(MqttCloseReason.ProtocolError, $"the broker sent a bad packet ({ex.Error}): {ex.Message}", Version == MqttProtocolVersion.V500 ? new DisconnectPacket(code) : null, fromReadLoop: true).ConfigureAwait(false);
        }
        catch (HandlerFailedException ex)
        {
            await CloseAsync(MqttCloseReason.HandlerFailed, $"the message handler failed: {ex.InnerException?.Message}", null, fromReadLoop: true).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            await CloseAsync(MqttCloseReason.TransportError, $"reading from the broker failed: {ex.Message}", null, fromReadLoop: true).ConfigureAwait(false);
        }
        finally
        {
            _frames.Dispose();
        }
    }

    private async Task DeliverAsync(List<PublishPacket> batch, CancellationToken token)
    {
        foreach (var publish in batch)
        {
            // This client advertises no Topic Alias Maximum (0), so an alias breaks MQTT 5 §3.3.2.3.4.
            if (publish.Properties.TryGetInteger(MqttPropertyId.TopicAlias, out _))
            {
                throw new MqttProtocolException(MqttProtocolError.InvalidProperty, "The broker used a topic alias this client did not allow.");
            }

            if (publish.QualityOfService == MqttQualityOfService.ExactlyOnce)
            {
                throw new MqttProtocolException(MqttProtocolError.InvalidQualityOfService, "The broker delivered at QoS 2; this client subscribes at QoS 1 at most [MQTT-3.8.4-6].");
            }
        }

        try
        {
            await _handler.HandleAsync(batch.ToArray(), token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            throw new HandlerFailedException(ex);
        }

        foreach (var publish in batch)
        {
            if (publish.QualityOfService == MqttQualityOfService.AtLeastOnce)
            {
                Send(new PubAckPacket(publish.PacketId));
            }
        }

        batch.Clear();
    }

    private async Task<bool> HandleControlAsync(MqttPacket packet)
    {
        switch (packet)
        {
            case PubAckPacket pubAck:
                _onPubAck(pubAck);
                return true;
            case SubAckPacket or UnsubAckPacket:
                var id = packet is SubAckPacket s ? s.PacketId : ((UnsubAckPacket)packet).PacketId;
                if (_requests.TryGetValue(id, out var waiter))
                {
                    waiter.TrySetResult(packet);
                    return true;
                }

                await CloseAsync(MqttCloseReason.ProtocolError, $"the broker sent {packet.Type} for packet identifier {id}, which no request used", ProtocolErrorDisconnect(), fromReadLoop: true).ConfigureAwait(false);
                return false;
            case PingRespPacket:
                return true;
            case DisconnectPacket disconnect:
                var reason = disconnect.Properties.TryGetText(MqttPropertyId.ReasonString, out var text) ? $": {text}" : string.Empty;
                await CloseAsync(MqttCloseReason.BrokerDisconnected, $"the broker disconnected with reason 0x{disconnect.ReasonCode:X2}{reason}", null, fromReadLoop: true).ConfigureAwait(false);
                return false;
            default:
                await CloseAsync(MqttCloseReason.ProtocolError, $"the broker sent {packet.Type}, which a server never sends to a client", ProtocolErrorDisconnect(), fromReadLoop: true).ConfigureAwait(false);
                return false;
        }
    }

    private DisconnectPacket? ProtocolErrorDisconnect() => Version == MqttProtocolVersion.V500 ? new DisconnectPacket(0x82) : null;

    private async Task WriteLoopAsync()
    {
        var token = _closing.Token;
        var batch = ArrayPool<byte>.Shared.Rent(WriteBatchSize);
        var reader = _outgoing.Reader;
        try
        {
            while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                var used = 0;
                while (reader.TryRead(out var frame))
                {
                    try
                    {
                        if (used + frame.Length > batch.Length && used > 0)
                        {
                            await _stream.WriteAsync(batch.AsMemory(0, used), token).ConfigureAwait(false);
                            used = 0;
                        }

                        if (frame.Length > batch.Length)
                        {
                            await _stream.WriteAsync(frame.Buffer.AsMemory(0, frame.Length), token).ConfigureAwait(false);
                        }
                        else
                        {
                            frame.Buffer.AsSpan(0, frame.Length).CopyTo(batch.AsSpan(used));
                            used += frame.Length;
                        }

                        _counters.Sent(frame.IsPublish, frame.Length);
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(frame.Buffer);
                    }
                }

                if (used > 0)
                {
                    await _stream.WriteAsync(batch.AsMemory(0, used), token).ConfigureAwait(false);
                }

                await _stream.FlushAsync(token).ConfigureAwait(false);
                Interlocked.Exchange(ref _lastSentTicks, _time.GetTimestamp());
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Closing.
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            _ = CloseAsync(MqttCloseReason.TransportError, $"writing to the broker failed: {ex.Message}", null);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(batch);
            while (reader.TryRead(out var frame))
            {
                ArrayPool<byte>.Shared.Return(frame.Buffer);
            }
        }
    }

    private async Task KeepAliveLoopAsync()
    {
        var token = _closing.Token;
        // Check often enough to send within half the interval and to notice a silent broker soon after the timeout.
        var tick = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(50).Ticks, Math.Min(_keepAlive.Ticks / 4, _options.PingTimeout.Ticks / 4)));
        try
        {
            while (!token.IsCancellationRequested)
            {
                await Task.Delay(tick, _time, token).ConfigureAwait(false);
                var pingSent = Interlocked.Read(ref _pingSentTicks);
                if (pingSent != 0)
                {
                    if (_time.GetElapsedTime(pingSent) >= _options.PingTimeout)
                    {
                        await CloseAsync(MqttCloseReason.KeepAliveTimeout, $"the broker did not answer PINGREQ within {_options.PingTimeout.TotalSeconds:0.#} s", null).ConfigureAwait(false);
                        return;
                    }

                    continue;
                }

                // §3.1.2.10: the client sends something within each keep-alive interval; PINGREQ when idle.
                if (_time.GetElapsedTime(Interlocked.Read(ref _lastSentTicks)) >= _keepAlive / 2)
                {
                    Interlocked.Exchange(ref _pingSentTicks, _time.GetTimestamp());
                    Send(PingReqPacket.Instance);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Closing.
        }
    }

    private async Task CloseAsync(MqttCloseReason reason, string message, DisconnectPacket? farewell, bool fromReadLoop = false)
    {
        if (Interlocked.Exchange(ref _closeStarted, 1) != 0)
        {
            return;
        }

        CloseMessage = message;
        if (reason is MqttCloseReason.Disposed)
        {
            LogClosed(_logger, Description, message);
        }
        else
        {
            LogConnectionEnded(_logger, Description, reason, message);
        }

        if (farewell is not null)
        {
            // Best effort: queue the DISCONNECT behind what is already queued and give the writer a moment to flush.
            var size = MqttPacketCodec.Measure(farewell, Version);
            var buffer = ArrayPool<byte>.Shared.Rent(size);
            MqttPacketCodec.Encode(farewell, Version, buffer);
            if (!_outgoing.Writer.TryWrite((buffer, size, false)))
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        _outgoing.Writer.TryComplete();
        try
        {
            await _writeLoop.WaitAsync(TimeSpan.FromSeconds(1), _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // A stuck socket: cancelling below ends the write.
        }

        await _closing.CancelAsync().ConfigureAwait(false);
        foreach (var waiter in _requests.Values)
        {
            waiter.TrySetException(new IOException($"The connection to {Description} ended: {message}."));
        }

        await _stream.DisposeAsync().ConfigureAwait(false);
        // Callers other than the read loop wait for it, so no handler call of this connection outlives Completion.
        if (!fromReadLoop)
        {
            await Task.WhenAny(_readLoop, Task.Delay(TimeSpan.FromSeconds(5), _time)).ConfigureAwait(false);
        }

        _closed.TrySetResult(reason);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "MQTT connection to {Broker} ended ({Reason}): {Message}")]
    private static partial void LogConnectionEnded(ILogger logger, string broker, MqttCloseReason reason, string message);

    [LoggerMessage(Level = LogLevel.Debug, Message = "MQTT connection to {Broker} closed: {Message}")]
    private static partial void LogClosed(ILogger logger, string broker, string message);

    private sealed class HandlerFailedException(Exception inner) : Exception(inner.Message, inner);
}
