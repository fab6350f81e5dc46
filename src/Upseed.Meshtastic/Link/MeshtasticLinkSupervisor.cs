using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Upseed.Meshtastic.Link;

/// <summary>
/// Keeps a radio connected: opens the TCP connection or serial port, runs a <see cref="MeshtasticConnection"/> until
/// it ends, then waits (1 s doubling up to 60 s, with jitter) and starts over. Subscriptions outlive connections, so a
/// consumer reads one stream of packets across reconnects. Sends while no radio is connected return
/// <see cref="MeshtasticSendStatus.NotConnected"/>: queueing for later is the caller's policy (its outbox), not the link's.
/// </summary>
public sealed partial class MeshtasticLinkSupervisor : IMeshtasticLink, IAsyncDisposable
{
    private readonly Func<CancellationToken, Task<Stream>> _openStream;
    private readonly MeshtasticLinkOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly PacketDispatcher _dispatcher;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private MeshtasticConnection? _current;
    private MeshtasticLinkState _state = MeshtasticLinkState.Connecting;
    private Task _loop = Task.CompletedTask;
    private long _connectionsMade;
    private long _connectAttempts;

    /// <summary>A supervisor for a radio at <paramref name="endpoint"/> (TCP or serial). Call <see cref="Start"/>.</summary>
    public MeshtasticLinkSupervisor(MeshtasticEndpoint endpoint, MeshtasticLinkOptions? options = null, ILogger? logger = null, TimeProvider? timeProvider = null)
        : this(ct => MeshtasticTransport.OpenAsync(endpoint, options ?? MeshtasticLinkOptions.Default, ct), endpoint?.ToString() ?? string.Empty, options, logger, timeProvider)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
    }

    /// <summary>A supervisor over any byte stream to a radio; <paramref name="openStream"/> is called for every attempt and the supervisor owns what it returns.</summary>
    public MeshtasticLinkSupervisor(
        Func<CancellationToken, Task<Stream>> openStream,
        string description,
        MeshtasticLinkOptions? options = null,
        ILogger? logger = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(openStream);
        _openStream = openStream;
        Description = description ?? string.Empty;
        _options = options ?? MeshtasticLinkOptions.Default;
        _logger = logger ?? NullLogger.Instance;
        _time = timeProvider ?? TimeProvider.System;
        _dispatcher = new PacketDispatcher(_options.SubscriptionCapacity);
    }

    /// <summary>The radio's address, for logs and the admin.</summary>
    public string Description { get; }

    public MeshtasticLinkState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <summary>Connections that completed their handshake.</summary>
    public long ConnectionsMade => Interlocked.Read(ref _connectionsMade);

    /// <summary>Attempts to open and handshake, successful or not.</summary>
    public long ConnectAttempts => Interlocked.Read(ref _connectAttempts);

    /// <summary>Packets that arrived on a port nobody subscribed to.</summary>
    public long UnclaimedPackets => _dispatcher.Unclaimed;

    /// <summary>The current connection's counters, if one is up.</summary>
    public MeshtasticLinkCounters? CurrentCounters => Volatile.Read(ref _current)?.Counters;

    /// <summary>Starts the connect loop in the background. Call once.</summary>
    /// <exception cref="InvalidOperationException">Already started.</exception>
    public void Start()
    {
        lock (_gate)
        {
            if (!_loop.IsCompleted || _stopping.IsCancellationRequested)
            {
                throw new InvalidOperationException("The supervisor was already started.");
            }

            _loop = Task.Run(RunAsync, CancellationToken.None);
        }
    }

    public bool TryGetRadio(out MeshtasticRadioInfo? radio)
    {
        var current = Volatile.Read(ref _current);
        if (current is not null)
        {
            return current.TryGetRadio(out radio);
        }

        radio = null;
        return false;
    }

    public Task WaitUntilReadyAsync(CancellationToken cancellationToken = default)
    {
        Task ready;
        lock (_gate)
        {
            ready = _ready.Task;
        }

        return ready.WaitAsync(cancellationToken);
    }

    public MeshtasticSubscription Subscribe(uint portNumber) => _dispatcher.Subscribe(portNumber);

    public ValueTask<MeshtasticSendResult> SendAsync(MeshtasticOutgoingPacket packet, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(packet);
        var current = Volatile.Read(ref _current);
        return current is null
            ? ValueTask.FromResult(new MeshtasticSendResult(MeshtasticSendStatus.NotConnected, 0))
            : current.SendAsync(packet, cancellationToken);
    }

    /// <summary>Stops reconnecting, closes the current connection and waits for the loop to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync().ConfigureAwait(false);
        }

        await _loop.ConfigureAwait(false);
        lock (_gate)
        {
            _state = MeshtasticLinkState.Closed;
            _ready.TrySetException(new ObjectDisposedException(nameof(MeshtasticLinkSupervisor)));
        }

        _stopping.Dispose();
    }

    private async Task RunAsync()
    {
        var token = _stopping.Token;
        var failures = 0;
        while (!token.IsCancellationRequested)
        {
            SetState(MeshtasticLinkState.Connecting);
            Interlocked.Increment(ref _connectAttempts);
            MeshtasticConnection connection;
            try
            {
                var stream = await _openStream(token).ConfigureAwait(false);
                SetState(MeshtasticLinkState.Handshaking);
                connection = await MeshtasticConnection.ConnectAsync(stream, _options, _logger, _time, _dispatcher, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is IOException or SocketException or TimeoutException or UnauthorizedAccessException or OperationCanceledException)
            {
                var delay = Backoff(failures++);
                LogConnectFailed(Description, ex.Message, delay.TotalSeconds);
                if (!await DelayAsync(delay, token).ConfigureAwait(false))
                {
                    break;
                }

                continue;
            }

            failures = 0;
            Interlocked.Increment(ref _connectionsMade);
            lock (_gate)
            {
                _current = connection;
                _state = MeshtasticLinkState.Ready;
                _ready.TrySetResult();
            }

            MeshtasticCloseReason reason;
            try
            {
                reason = await connection.Completion.WaitAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                reason = MeshtasticCloseReason.Disposed;
            }

            lock (_gate)
            {
                _current = null;
                _state = MeshtasticLinkState.Connecting;
                if (_ready.Task.IsCompleted)
                {
                    _ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }

            await connection.DisposeAsync().ConfigureAwait(false);
            if (token.IsCancellationRequested)
            {
                break;
            }

            var wait = Backoff(failures++);
            LogConnectionLost(Description, reason, wait.TotalSeconds);
            if (!await DelayAsync(wait, token).ConfigureAwait(false))
            {
                break;
            }
        }

        SetState(MeshtasticLinkState.Closed);
    }

    /// <summary>Exponential backoff with jitter (between half and all of the step), so boxes that lost one radio do not retry in step.</summary>
    private TimeSpan Backoff(int failures)
    {
        var step = _options.InitialReconnectDelay.TotalMilliseconds * Math.Pow(2, Math.Min(failures, 16));
        var capped = Math.Min(step, _options.MaxReconnectDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + (Random.Shared.NextDouble() / 2)));
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken token)
    {
        try
        {
            await Task.Delay(delay, _time, token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return false;
        }
    }

    private void SetState(MeshtasticLinkState state)
    {
        lock (_gate)
        {
            _state = state;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meshtastic radio {Radio}: could not connect ({Reason}); retrying in {Seconds:0.0} s")]
    private partial void LogConnectFailed(string radio, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Meshtastic radio {Radio}: connection ended ({Reason}); reconnecting in {Seconds:0.0} s")]
    private partial void LogConnectionLost(string radio, MeshtasticCloseReason reason, double seconds);
}
