using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Upseed.Torrent.Wire;

namespace Upseed.Torrent.Swarm;

/// <summary>
/// Accepts peer connections on a TCP endpoint and serves every torrent the catalog knows. Holds one session per open
/// connection and nothing per torrent: a node with a million stored posts costs what its connections cost.
/// </summary>
public sealed partial class PeerListener : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly ITorrentCatalog _catalog;
    private readonly EngineOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly ConcurrentDictionary<Task, byte> _sessions = new();
    private readonly UploadChoker _choker;
    private SeedingContext? _context;
    private Task? _acceptLoop;
    private ITimer? _rechoke;

    public PeerListener(IPEndPoint endpoint, ITorrentCatalog catalog, EngineOptions? options = null, PeerId? peerId = null, ILogger? logger = null, TimeProvider? clock = null)
    {
        _listener = new TcpListener(endpoint ?? throw new ArgumentNullException(nameof(endpoint)));
        _catalog = catalog ?? throw new ArgumentNullException(nameof(catalog));
        _options = options ?? new EngineOptions();
        _logger = logger ?? NullLogger.Instance;
        _clock = clock ?? TimeProvider.System;
        _choker = new UploadChoker(_options.UploadSlots, _clock);
        PeerId = peerId ?? PeerId.CreateRandom();
    }

    public PeerId PeerId { get; }

    public EngineCounters Counters { get; } = new();

    /// <summary>
    /// Takes connections whose handshake names a swarm that is not a torrent (a community's sync swarm key), before
    /// the catalog is asked. Set it before <see cref="Start"/>. Defaults to none.
    /// </summary>
    public IPeerHandshakeHandler? HandshakeHandler { get; set; }

    /// <summary>The bound endpoint (with the real port when port 0 was asked for). Valid after <see cref="Start"/>.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_listener.LocalEndpoint;

    public void Start()
    {
        _listener.Start(backlog: 512);
        _context = new SeedingContext(_options, PeerWireOptions.Default, PeerId, _clock, Counters, LocalEndPoint.Port)
        {
            HandshakeHandler = HandshakeHandler,
        };
        _rechoke = _clock.CreateTimer(_ => _choker.Rechoke(_options.RechokeInterval), null, _options.RechokeInterval, _options.RechokeInterval);
        _acceptLoop = AcceptLoopAsync(_shutdown.Token);
        LogListening(_logger, LocalEndPoint);
    }

    public async ValueTask DisposeAsync()
    {
        await _shutdown.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        if (_rechoke is not null)
        {
            await _rechoke.DisposeAsync().ConfigureAwait(false);
        }

        if (_acceptLoop is not null)
        {
            await _acceptLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await Task.WhenAll(_sessions.Keys).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _shutdown.Dispose();
    }

    private async Task AcceptLoopAsync(CancellationToken token)
    {
        while (!token.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                // Running out of descriptors or a reset during accept: log and keep listening.
                LogAcceptError(_logger, ex.SocketErrorCode.ToString());
                continue;
            }

            if (Counters.ActiveConnections >= _options.MaxConnections)
            {
                Counters.Refused();
                socket.Dispose();
                continue;
            }

            Counters.Accepted();
            var session = ServeAsync(socket, token);
            _sessions.TryAdd(session, 0);
            _ = session.ContinueWith(t => _sessions.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Socket socket, CancellationToken token)
    {
        await Task.Yield();
        EndPoint remote = new IPEndPoint(IPAddress.None, 0);
        try
        {
            // Posts are one block: send it now rather than wait for a delayed ACK (Nagle).
            socket.NoDelay = true;
            remote = socket.RemoteEndPoint ?? remote;
            var connection = new PeerConnection(new NetworkStream(socket, ownsSocket: true), remote, _context!.WireOptions, _clock);
            var session = new SeedingSession(connection, _catalog, _choker, _context, _logger, token);
            await session.RunAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or IOException or ObjectDisposedException)
        {
            LogAcceptError(_logger, ex.Message);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Shutdown.
        }
        catch (Exception ex)
        {
            // The session boundary: whatever escaped a session (a catalog that threw, a bug) closes that one
            // connection and is logged once; the node keeps serving.
            LogSessionFailed(_logger, remote, ex);
        }
        finally
        {
            socket.Dispose();
            Counters.Closed();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeding on {Endpoint}")]
    private static partial void LogListening(ILogger logger, IPEndPoint endpoint);

    [LoggerMessage(Level = LogLevel.Error, Message = "Session with {Remote} failed")]
    private static partial void LogSessionFailed(ILogger logger, EndPoint remote, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Accepting a peer failed: {Reason}")]
    private static partial void LogAcceptError(ILogger logger, string reason);
}
