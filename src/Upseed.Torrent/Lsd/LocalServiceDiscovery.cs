using System.Collections.Frozen;
using System.Net;
using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Upseed.Metainfo;

namespace Upseed.Torrent.Lsd;

/// <summary>
/// BEP 14 local service discovery on one transport (one address family / interface): announces our swarm keys on
/// start and every <see cref="LsdOptions.AnnounceInterval"/>, listens to the group, drops its own looped-back
/// announces by cookie, and queues the peers it hears for the keys we carry on <see cref="Peers"/>.
/// Owns the transport it is given and disposes it.
/// </summary>
public sealed partial class LocalServiceDiscovery : IAsyncDisposable
{
    /// <summary>Above the 1400-byte limit, so an oversized datagram arrives long enough to be refused as such.</summary>
    private const int ReceiveBufferSize = 2048;

    private readonly ILsdTransport _transport;
    private readonly TimeProvider _clock;
    private readonly LsdOptions _options;
    private readonly ILogger _logger;
    private readonly Channel<LsdPeer> _peers;
    private readonly CancellationTokenSource _shutdown = new();
    private volatile KeySet _keys;
    private Task? _announceLoop;
    private Task? _receiveLoop;
    private long _announcesSent;
    private long _datagramsMalformed;
    private long _ownDatagramsIgnored;
    private long _peersFound;

    /// <param name="transport">The group to use; owned from here on.</param>
    /// <param name="listenPort">Our TCP peer port, sent in the Port header.</param>
    /// <param name="infoHashes">The swarm keys to announce and to accept peers for.</param>
    /// <param name="clock">Drives the announce schedule; the system clock when null.</param>
    /// <param name="options">Timing and limits; <see cref="LsdOptions"/> defaults when null.</param>
    /// <param name="cookie">Our cookie; a random 16-hex-digit one when null.</param>
    /// <param name="logger">Where dropped datagrams and failed sends are logged.</param>
    public LocalServiceDiscovery(ILsdTransport transport, int listenPort, IEnumerable<InfoHash> infoHashes, TimeProvider? clock = null, LsdOptions? options = null, string? cookie = null, ILogger? logger = null)
    {
        _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        ArgumentOutOfRangeException.ThrowIfLessThan(listenPort, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(listenPort, 65535);
        ArgumentNullException.ThrowIfNull(infoHashes);
        ListenPort = listenPort;
        _clock = clock ?? TimeProvider.System;
        _options = options ?? new LsdOptions();
        _logger = logger ?? NullLogger.Instance;
        Cookie = cookie ?? RandomNumberGenerator.GetHexString(16, lowercase: true);
        _keys = new KeySet(infoHashes);
        _peers = Channel.CreateBounded<LsdPeer>(new BoundedChannelOptions(_options.PeerQueueCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleWriter = true,
        });
    }

    public int ListenPort { get; }

    public string Cookie { get; }

    /// <summary>Peers heard for our keys, in arrival order; completed on dispose.</summary>
    public ChannelReader<LsdPeer> Peers => _peers.Reader;

    public long AnnouncesSent => Interlocked.Read(ref _announcesSent);

    /// <summary>Datagrams refused by <see cref="LsdMessage.TryParse"/> and dropped.</summary>
    public long DatagramsMalformed => Interlocked.Read(ref _datagramsMalformed);

    public long OwnDatagramsIgnored => Interlocked.Read(ref _ownDatagramsIgnored);

    public long PeersFound => Interlocked.Read(ref _peersFound);

    /// <summary>Replaces the keys; the next announce round carries the new set, and peers for dropped keys are ignored.</summary>
    public void SetInfoHashes(IEnumerable<InfoHash> infoHashes)
    {
        ArgumentNullException.ThrowIfNull(infoHashes);
        _keys = new KeySet(infoHashes);
    }

    /// <summary>Starts listening and sends the first announce round now.</summary>
    public void Start()
    {
        if (_receiveLoop is not null)
        {
            throw new InvalidOperationException("Already started.");
        }

        _receiveLoop = ReceiveLoopAsync(_shutdown.Token);
        _announceLoop = AnnounceLoopAsync(_shutdown.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await _shutdown.CancelAsync().ConfigureAwait(false);
        await _transport.DisposeAsync().ConfigureAwait(false);
        if (_announceLoop is not null)
        {
            await _announceLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (_receiveLoop is not null)
        {
            await _receiveLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _peers.Writer.TryComplete();
        _shutdown.Dispose();
    }

    private async Task AnnounceLoopAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        while (!cancellationToken.IsCancellationRequested)
        {
            var roundStart = _clock.GetTimestamp();
            var keys = _keys.Order;
            if (keys.Length > 0)
            {
                // BEP 14: with many torrents, pack several per announce; what does not fit in one datagram goes out
                // in further datagrams, one per MinSendInterval, so the group never sees more than one a minute.
                var messages = LsdMessage.Pack(ListenPort, keys, Cookie, _transport.Host, _options.MaxDatagramSize);
                for (var i = 0; i < messages.Count; i++)
                {
                    if (i > 0)
                    {
                        await Task.Delay(_options.MinSendInterval, _clock, cancellationToken).ConfigureAwait(false);
                    }

                    await SendAsync(messages[i], cancellationToken).ConfigureAwait(false);
                }
            }

            var elapsed = _clock.GetElapsedTime(roundStart);
            var wait = _options.AnnounceInterval - elapsed;
            if (wait < _options.MinSendInterval)
            {
                wait = _options.MinSendInterval;
            }

            await Task.Delay(wait, _clock, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SendAsync(LsdMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await _transport.SendAsync(message.Encode(), cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _announcesSent);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A LAN without multicast (or a down interface) must not stop the node; the next round tries again.
            LogSendFailed(_logger, _transport.Host, ex);
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        var buffer = new byte[ReceiveBufferSize];
        while (!cancellationToken.IsCancellationRequested)
        {
            LsdDatagram datagram;
            try
            {
                datagram = await _transport.ReceiveAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex)
            {
                LogReceiveFailed(_logger, _transport.Host, ex);
                return;
            }

            Handle(buffer.AsSpan(0, datagram.Length), datagram.Source);
        }
    }

    private void Handle(ReadOnlySpan<byte> datagram, IPEndPoint source)
    {
        var result = LsdMessage.TryParse(datagram, out var message);
        if (result != LsdParseResult.Success)
        {
            Interlocked.Increment(ref _datagramsMalformed);
            LogMalformed(_logger, datagram.Length, source, result);
            return;
        }

        if (message!.Cookie is not null && string.Equals(message.Cookie, Cookie, StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _ownDatagramsIgnored);
            return;
        }

        var ours = _keys.Set;
        var endPoint = new IPEndPoint(source.Address, message.Port);
        foreach (var infoHash in message.InfoHashes)
        {
            if (ours.Contains(infoHash))
            {
                Interlocked.Increment(ref _peersFound);
                _peers.Writer.TryWrite(new LsdPeer(infoHash, endPoint));
            }
        }
    }

    /// <summary>The keys in announce order and as a set, swapped as one so readers never see a half update.</summary>
    private sealed class KeySet
    {
        public KeySet(IEnumerable<InfoHash> infoHashes)
        {
            Order = [.. infoHashes.Distinct()];
            Set = Order.ToFrozenSet();
        }

        public InfoHash[] Order { get; }

        public FrozenSet<InfoHash> Set { get; }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "LSD: dropped a {Length}-byte datagram from {Source}: {Reason}")]
    private static partial void LogMalformed(ILogger logger, int length, IPEndPoint source, LsdParseResult reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "LSD: announce to {Group} failed")]
    private static partial void LogSendFailed(ILogger logger, string group, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "LSD: receiving from {Group} failed; listening stopped")]
    private static partial void LogReceiveFailed(ILogger logger, string group, Exception exception);
}
