using System.Buffers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Upseed.Meshtastic.Framing;
using Upseed.Meshtastic.Protobufs;

namespace Upseed.Meshtastic.Link;

/// <summary>
/// One connection to a radio, from the config handshake to its end: it frames <c>ToRadio</c>/<c>FromRadio</c> over a
/// stream, runs the handshake (<c>want_config_id</c> with a random nonce until <c>config_complete_id</c> echoes it),
/// hands received packets to subscriptions and sends heartbeats. A bad frame is counted and skipped; a broken stream
/// ends this connection (see <see cref="Completion"/>). It never reconnects: that is <see cref="MeshtasticLinkSupervisor"/>'s job.
/// </summary>
public sealed partial class MeshtasticConnection : IMeshtasticLink, IAsyncDisposable
{
    private const int WakeByteCount = 32;
    private const int MaxDebugLineChars = 200;

    private readonly Stream _stream;
    private readonly MeshtasticLinkOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly PacketDispatcher _dispatcher;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource<MeshtasticRadioInfo> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<MeshtasticCloseReason> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly StringBuilder _debugLine = new();

    // Handshake state: touched only by the read loop until _ready completes.
    private readonly uint _configNonce;
    private readonly Dictionary<uint, MeshtasticNodeInfo> _nodes = [];
    private readonly List<MeshtasticChannelInfo> _channels = [];
    private uint _myNodeNumber;
    private bool _haveMyInfo;
    private Config.Types.LoRaConfig? _lora;
    private string? _firmwareVersion;

    private volatile MeshtasticRadioInfo? _radio;
    private int _state = (int)MeshtasticLinkState.Handshaking;
    private Task _readLoop = Task.CompletedTask;
    private Task _heartbeatLoop = Task.CompletedTask;

    private MeshtasticConnection(Stream stream, MeshtasticLinkOptions options, ILogger logger, TimeProvider time, PacketDispatcher dispatcher)
    {
        _stream = stream;
        _options = options;
        _logger = logger;
        _time = time;
        _dispatcher = dispatcher;
        _configNonce = NewNonZeroId();
    }

    public MeshtasticLinkState State => (MeshtasticLinkState)Volatile.Read(ref _state);

    public MeshtasticLinkCounters Counters { get; } = new();

    /// <summary>Completes when the connection has ended, with the reason.</summary>
    public Task<MeshtasticCloseReason> Completion => _closed.Task;

    /// <summary>
    /// Takes ownership of <paramref name="stream"/> (a TCP stream or an open serial port), runs the config handshake
    /// and returns the ready connection. The stream is disposed if the handshake fails.
    /// </summary>
    /// <exception cref="TimeoutException">The radio did not complete the handshake within <see cref="MeshtasticLinkOptions.HandshakeTimeout"/>.</exception>
    /// <exception cref="IOException">The stream ended or failed during the handshake.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public static Task<MeshtasticConnection> ConnectAsync(
        Stream stream,
        MeshtasticLinkOptions? options = null,
        ILogger? logger = null,
        TimeProvider? timeProvider = null,
        CancellationToken cancellationToken = default)
    {
        options ??= MeshtasticLinkOptions.Default;
        return ConnectAsync(stream, options, logger, timeProvider, new PacketDispatcher(options.SubscriptionCapacity), cancellationToken);
    }

    internal static async Task<MeshtasticConnection> ConnectAsync(
        Stream stream,
        MeshtasticLinkOptions options,
        ILogger? logger,
        TimeProvider? timeProvider,
        PacketDispatcher dispatcher,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var connection = new MeshtasticConnection(stream, options, logger ?? NullLogger.Instance, timeProvider ?? TimeProvider.System, dispatcher);
        try
        {
            await connection.HandshakeAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public bool TryGetRadio(out MeshtasticRadioInfo? radio)
    {
        radio = _radio;
        return radio is not null;
    }

    public Task WaitUntilReadyAsync(CancellationToken cancellationToken = default) => _ready.Task.WaitAsync(cancellationToken);

    public MeshtasticSubscription Subscribe(uint portNumber) => _dispatcher.Subscribe(portNumber);

    public async ValueTask<MeshtasticSendResult> SendAsync(MeshtasticOutgoingPacket packet, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(packet);
        var port = packet.PortNumber ?? _options.PortNumber;
        var hopLimit = packet.HopLimit ?? _options.HopLimit;
        if (packet.Payload.Length > MeshtasticOutgoingPacket.MaxPayloadLength || hopLimit > 7 || port is 0 or > MeshtasticPortNumbers.MaxPrivate)
        {
            return new(MeshtasticSendStatus.Invalid, 0);
        }

        if (State != MeshtasticLinkState.Ready)
        {
            return new(MeshtasticSendStatus.NotConnected, 0);
        }

        var id = NewNonZeroId();
        var message = new ToRadio
        {
            Packet = new MeshPacket
            {
                To = packet.To,
                Channel = packet.Channel,
                Id = id,
                HopLimit = hopLimit,
                WantAck = packet.WantAck,
                Decoded = new Data
                {
                    Portnum = (PortNum)port,
                    Payload = ByteString.CopyFrom(packet.Payload.Span),
                    ReplyId = packet.ReplyId,
                },
            },
        };
        if (!await WriteAsync(message, cancellationToken).ConfigureAwait(false))
        {
            return new(MeshtasticSendStatus.Failed, 0);
        }

        Counters.AddPacketSent();
        return new(MeshtasticSendStatus.Sent, id);
    }

    public async ValueTask DisposeAsync()
    {
        if (State != MeshtasticLinkState.Closed)
        {
            // Tell the radio the session is over, as the apps do, so it stops queueing packets for us. Best effort.
            using var polite = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await WriteAsync(new ToRadio { Disconnect = true }, polite.Token, closeOnFailure: false).ConfigureAwait(false);
            Close(MeshtasticCloseReason.Disposed);
        }

        await _readLoop.ConfigureAwait(false);
        await _heartbeatLoop.ConfigureAwait(false);
        await _writeLock.WaitAsync().ConfigureAwait(false);
        _writeLock.Release();
        _writeLock.Dispose();
        _closing.Dispose();
    }

    private async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        _readLoop = Task.Run(ReadLoopAsync, CancellationToken.None);
        if (_options.SendWakeBytes)
        {
            var wake = new byte[WakeByteCount];
            wake.AsSpan().Fill(StreamFraming.Start2);
            await WriteRawAsync(wake, cancellationToken).ConfigureAwait(false);
        }

        if (!await WriteAsync(new ToRadio { WantConfigId = _configNonce }, cancellationToken).ConfigureAwait(false))
        {
            throw new IOException("Could not write to the radio.");
        }

        try
        {
            await _ready.Task.WaitAsync(_options.HandshakeTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Close(MeshtasticCloseReason.HandshakeTimeout);
            throw new TimeoutException($"The radio did not finish the config handshake within {_options.HandshakeTimeout.TotalSeconds:0} s.");
        }

        _heartbeatLoop = Task.Run(HeartbeatLoopAsync, CancellationToken.None);
    }

    private async Task ReadLoopAsync()
    {
        using var frames = new StreamFrameBuffer();
        var token = _closing.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                var read = await _stream.ReadAsync(frames.GetWriteMemory(), token).ConfigureAwait(false);
                if (read == 0)
                {
                    Close(MeshtasticCloseReason.EndOfStream);
                    return;
                }

                frames.Advance(read);
                DrainFrames(frames);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Closing: nothing to report.
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            if (!token.IsCancellationRequested)
            {
                LogReadFailed(ex.Message);
            }

            Close(MeshtasticCloseReason.ReadFailed);
        }
    }

    private void DrainFrames(StreamFrameBuffer frames)
    {
        while (State != MeshtasticLinkState.Closed)
        {
            var status = frames.Read(out var payload, out var skipped, out var error);
            if (status == OperationStatus.NeedMoreData)
            {
                return;
            }

            if (status == OperationStatus.InvalidData)
            {
                Counters.AddNoise(skipped.Length);
                if (error == StreamFrameError.LengthTooLarge)
                {
                    Counters.AddOversized();
                }

                CollectDebugText(skipped);
                continue;
            }

            Counters.AddFrame();
            if (!MeshtasticCodec.TryDecodeFromRadio(payload, out var message))
            {
                Counters.AddMalformed();
                LogMalformedFrame(payload.Length);
                continue;
            }

            Handle(message!);
        }
    }

    private void Handle(FromRadio message)
    {
        switch (message.PayloadVariantCase)
        {
            case FromRadio.PayloadVariantOneofCase.Packet:
                var packet = MeshtasticPacket.FromProto(message.Packet);
                if (packet is null)
                {
                    Counters.AddPacketUndecoded();
                }
                else
                {
                    Counters.AddPacketReceived();
                    _dispatcher.Publish(packet);
                }

                break;
            case FromRadio.PayloadVariantOneofCase.MyInfo:
                _myNodeNumber = message.MyInfo.MyNodeNum;
                _haveMyInfo = true;
                break;
            case FromRadio.PayloadVariantOneofCase.NodeInfo:
                var node = message.NodeInfo;
                _nodes[node.Num] = new MeshtasticNodeInfo(node.Num, node.User?.Id, node.User?.LongName, node.User?.ShortName, node.LastHeard);
                break;
            case FromRadio.PayloadVariantOneofCase.Config when message.Config.PayloadVariantCase == Config.PayloadVariantOneofCase.Lora:
                _lora = message.Config.Lora;
                break;
            case FromRadio.PayloadVariantOneofCase.Channel when message.Channel.Role != Channel.Types.Role.Disabled:
                _channels.RemoveAll(c => c.Index == message.Channel.Index);
                _channels.Add(new MeshtasticChannelInfo(message.Channel.Index, message.Channel.Settings?.Name ?? string.Empty, message.Channel.Role));
                break;
            case FromRadio.PayloadVariantOneofCase.Metadata:
                _firmwareVersion = message.Metadata.FirmwareVersion;
                break;
            case FromRadio.PayloadVariantOneofCase.ConfigCompleteId:
                CompleteHandshake(message.ConfigCompleteId);
                break;
            case FromRadio.PayloadVariantOneofCase.Rebooted:
                LogRadioRebooted();
                Close(MeshtasticCloseReason.RadioRebooted);
                break;
            case FromRadio.PayloadVariantOneofCase.LogRecord:
                LogRadioLog(message.LogRecord.Source, message.LogRecord.Message);
                break;
            case FromRadio.PayloadVariantOneofCase.ClientNotification:
                LogRadioNotification(message.ClientNotification.Message);
                break;
            default:
                // Module config, queue status, xmodem, MQTT proxy, file info: not used by this host.
                break;
        }
    }

    private void CompleteHandshake(uint nonce)
    {
        if (nonce != _configNonce || State != MeshtasticLinkState.Handshaking)
        {
            // An answer to an earlier session's request (the radio may still be sending it): not ours.
            return;
        }

        if (!_haveMyInfo)
        {
            LogHandshakeWithoutMyInfo();
        }

        var radio = new MeshtasticRadioInfo
        {
            MyNodeNumber = _myNodeNumber,
            FirmwareVersion = _firmwareVersion,
            LoRa = _lora,
            Channels = [.. _channels.OrderBy(c => c.Index)],
            Nodes = new Dictionary<uint, MeshtasticNodeInfo>(_nodes),
        };
        _radio = radio;
        if (Interlocked.CompareExchange(ref _state, (int)MeshtasticLinkState.Ready, (int)MeshtasticLinkState.Handshaking) == (int)MeshtasticLinkState.Handshaking)
        {
            LogReady(radio.NodeId, radio.FirmwareVersion ?? "?", radio.Nodes.Count, radio.Channels.Count);
            _ready.TrySetResult(radio);
        }
    }

    private async Task HeartbeatLoopAsync()
    {
        var token = _closing.Token;
        try
        {
            while (!token.IsCancellationRequested)
            {
                if (!await WriteAsync(new ToRadio { Heartbeat = new Heartbeat() }, token).ConfigureAwait(false))
                {
                    return;
                }

                await Task.Delay(_options.HeartbeatInterval, _time, token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Closing.
        }
    }

    private async Task<bool> WriteAsync(IMessage message, CancellationToken cancellationToken, bool closeOnFailure = true)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(StreamFraming.MaxFrameSize);
        try
        {
            var length = MeshtasticCodec.WriteFrame(message, buffer);
            return await WriteRawAsync(buffer.AsMemory(0, length), cancellationToken, closeOnFailure).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<bool> WriteRawAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken, bool closeOnFailure = true)
    {
        if (State == MeshtasticLinkState.Closed)
        {
            return false;
        }

        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The caller's token only guards the wait above: a write cancelled halfway would leave half a frame on
            // the wire. The write itself is bounded by the write timeout, and closing the connection stops it.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_closing.Token);
            timeout.CancelAfter(_options.WriteTimeout);
            await _stream.WriteAsync(bytes, timeout.Token).ConfigureAwait(false);
            await _stream.FlushAsync(timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            if (closeOnFailure && State != MeshtasticLinkState.Closed)
            {
                LogWriteFailed(ex.Message);
                Close(MeshtasticCloseReason.WriteFailed);
            }

            return false;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private void Close(MeshtasticCloseReason reason)
    {
        if (Interlocked.Exchange(ref _state, (int)MeshtasticLinkState.Closed) == (int)MeshtasticLinkState.Closed)
        {
            return;
        }

        _closing.Cancel();
        _ready.TrySetException(new IOException($"The radio connection closed ({reason}) before its handshake finished."));
        _stream.Dispose();
        _closed.TrySetResult(reason);
    }

    /// <summary>Turns the radio's debug output (text between frames on serial) into log lines.</summary>
    private void CollectDebugText(ReadOnlySpan<byte> bytes)
    {
        if (!_logger.IsEnabled(LogLevel.Debug))
        {
            return;
        }

        foreach (var b in bytes)
        {
            if (b == (byte)'\n' || _debugLine.Length >= MaxDebugLineChars)
            {
                if (_debugLine.Length > 0)
                {
                    var line = _debugLine.ToString();
                    LogRadioDebugText(line);
                    _debugLine.Clear();
                }
            }
            else if (b is >= 0x20 and < 0x7F)
            {
                _debugLine.Append((char)b);
            }
        }
    }

    private static uint NewNonZeroId()
    {
        Span<byte> bytes = stackalloc byte[4];
        uint id;
        do
        {
            RandomNumberGenerator.Fill(bytes);
            id = BitConverter.ToUInt32(bytes);
        }
        while (id == 0);
        return id;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Meshtastic radio {NodeId} ready (firmware {Firmware}, {Nodes} nodes, {Channels} channels)")]
    private partial void LogReady(string nodeId, string firmware, int nodes, int channels);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meshtastic radio: handshake finished without my_info; the radio's node number is unknown")]
    private partial void LogHandshakeWithoutMyInfo();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meshtastic radio: reading failed: {Reason}")]
    private partial void LogReadFailed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meshtastic radio: writing failed: {Reason}")]
    private partial void LogWriteFailed(string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Meshtastic radio: skipped a frame of {Length} bytes that is not a FromRadio message")]
    private partial void LogMalformedFrame(int length);

    [LoggerMessage(Level = LogLevel.Information, Message = "Meshtastic radio rebooted; reconnecting")]
    private partial void LogRadioRebooted();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Meshtastic radio log [{Source}]: {Text}")]
    private partial void LogRadioLog(string source, string text);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meshtastic radio says: {Text}")]
    private partial void LogRadioNotification(string text);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Meshtastic radio debug: {Text}")]
    private partial void LogRadioDebugText(string text);
}
