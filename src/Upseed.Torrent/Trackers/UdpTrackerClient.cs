using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Upseed.Metainfo;

namespace Upseed.Torrent.Trackers;

/// <summary>
/// Announces to and scrapes UDP trackers (BEP 15) over one socket. Requests carry random transaction ids and replies
/// are matched by id and source address; datagrams that match nothing, carry the wrong action, or are too short are
/// ignored. A request is retransmitted after <c>BaseTimeout · 2^n</c>; connection ids are reused for
/// <see cref="UdpTrackerOptions.ConnectionIdLifetime"/>.
/// </summary>
public sealed partial class UdpTrackerClient : ITrackerClient, IAsyncDisposable, IDisposable
{
    // The largest UDP payload over IPv4 (65,535 − 8-byte UDP header − 20-byte IP header).
    private const int MaxDatagramSize = 65_507;

    // BEP 15 lets n grow to 8 (15 · 2^8 = 3840 s); retransmissions past that keep the 2^8 factor.
    private const int MaxBackoffExponent = 8;

    // Prune expired connection ids once this many trackers have been contacted.
    private const int ConnectionCachePruneThreshold = 64;

    private readonly Socket _socket;
    private readonly UdpTrackerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<uint, PendingRequest> _pending = new();
    private readonly ConcurrentDictionary<IPEndPoint, CachedConnectionId> _connectionIds = new();
    private readonly CancellationTokenSource _disposing = new();
    private readonly Task _receiveLoop;
    private int _disposed;

    /// <param name="options">Timing and limits; <see cref="UdpTrackerOptions.Default"/> when null.</param>
    /// <param name="timeProvider">Runs retransmission timeouts and ages connection ids; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">Receives ignored datagrams (debug) and socket errors.</param>
    /// <exception cref="SocketException">The socket could not be bound to <see cref="UdpTrackerOptions.LocalEndPoint"/>.</exception>
    public UdpTrackerClient(UdpTrackerOptions? options = null, TimeProvider? timeProvider = null, ILogger<UdpTrackerClient>? logger = null)
    {
        _options = options ?? UdpTrackerOptions.Default;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _socket = CreateSocket(_options.LocalEndPoint);
        _receiveLoop = ReceiveLoopAsync(_disposing.Token);
    }

    private delegate int PacketWriter(Span<byte> destination, long connectionId, uint transactionId);

    /// <summary>The address and port the client's socket is bound to.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The URL is not <c>udp://host:port</c>.</exception>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public async Task<AnnounceResponse> AnnounceAsync(Uri trackerUrl, AnnounceRequest request, CancellationToken cancellationToken = default)
    {
        // Before anything goes on the wire: a bad request would otherwise fail only after the connect.
        AnnounceRequest.ThrowIfInvalid(request);

        var tracker = await ResolveAsync(trackerUrl, cancellationToken);
        return await RequestAsync(
            tracker,
            UdpTrackerAction.Announce,
            UdpTrackerCodec.MinimumReplySize(UdpTrackerAction.Announce),
            (destination, connectionId, transactionId) => UdpTrackerCodec.WriteAnnounceRequest(destination, connectionId, transactionId, request),
            reply => UdpTrackerCodec.ReadAnnounceResponse(reply, tracker.AddressFamily, _options.MaxPeers),
            cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>More than <see cref="UdpTrackerCodec.MaxScrapeHashes"/> hashes go out as several scrapes, one after another.</remarks>
    /// <exception cref="ObjectDisposedException">The client was disposed.</exception>
    public async Task<IReadOnlyDictionary<InfoHash, ScrapeResult>> ScrapeAsync(
        Uri trackerUrl,
        IReadOnlyList<InfoHash> infoHashes,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(infoHashes);
        if (infoHashes.Count == 0)
        {
            throw new ArgumentException("A scrape needs at least one info-hash.", nameof(infoHashes));
        }

        var tracker = await ResolveAsync(trackerUrl, cancellationToken);
        var results = new Dictionary<InfoHash, ScrapeResult>(infoHashes.Count);
        foreach (var batch in infoHashes.Chunk(UdpTrackerCodec.MaxScrapeHashes))
        {
            var counts = await RequestAsync(
                tracker,
                UdpTrackerAction.Scrape,
                UdpTrackerCodec.MinimumReplySize(UdpTrackerAction.Scrape, batch.Length),
                (destination, connectionId, transactionId) => UdpTrackerCodec.WriteScrapeRequest(destination, connectionId, transactionId, batch),
                reply => UdpTrackerCodec.ReadScrapeResponse(reply, batch.Length),
                cancellationToken);
            for (var i = 0; i < batch.Length; i++)
            {
                results[batch[i]] = counts[i];
            }
        }

        return results;
    }

    /// <summary>Closes the socket; requests still waiting fail with <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _disposing.CancelAsync();
        _socket.Dispose();
        await _receiveLoop;
        FailPending(new ObjectDisposedException(nameof(UdpTrackerClient)));
        _disposing.Dispose();
    }

    /// <inheritdoc cref="DisposeAsync"/>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private static Socket CreateSocket(IPEndPoint? localEndPoint)
    {
        if (localEndPoint is not null)
        {
            return Bind(localEndPoint);
        }

        if (Socket.OSSupportsIPv6)
        {
            try
            {
                return Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
            }
            catch (SocketException)
            {
                // IPv6 compiled in but switched off (a common container setting): fall back to IPv4 only.
            }
        }

        return Bind(new IPEndPoint(IPAddress.Any, 0));
    }

    private static Socket Bind(IPEndPoint localEndPoint)
    {
        var socket = new Socket(localEndPoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            if (localEndPoint.AddressFamily == AddressFamily.InterNetworkV6 && localEndPoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(localEndPoint);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    // A dual-stack socket reports IPv4 senders as ::ffff:a.b.c.d; compare and choose peer formats on the plain form.
    private static IPEndPoint Normalize(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;

    private async Task<IPEndPoint> ResolveAsync(Uri trackerUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trackerUrl);
        if (!trackerUrl.IsAbsoluteUri || trackerUrl.Scheme != "udp" || trackerUrl.Port is <= 0 or > ushort.MaxValue)
        {
            throw new ArgumentException($"'{trackerUrl}' is not a udp://host:port tracker URL.", nameof(trackerUrl));
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var host = trackerUrl.IdnHost;
        if (IPAddress.TryParse(host, out var literal))
        {
            return Normalize(new IPEndPoint(literal, trackerUrl.Port));
        }

        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
        }
        catch (SocketException ex)
        {
            throw new TrackerException(TrackerErrorKind.Unreachable, $"The tracker host {host} could not be resolved: {ex.Message}", ex);
        }

        // IPv4 first: most trackers serve it, and an IPv4-only socket cannot reach IPv6 at all.
        var canUseIPv6 = _socket.AddressFamily == AddressFamily.InterNetworkV6;
        var address = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? addresses.FirstOrDefault(a => canUseIPv6 && a.AddressFamily == AddressFamily.InterNetworkV6)
            ?? throw new TrackerException(TrackerErrorKind.Unreachable, $"The tracker host {host} has no address this socket can reach.");
        return Normalize(new IPEndPoint(address, trackerUrl.Port));
    }

    // An announce or scrape: needs a connection id; the reply is read here so an error packet is seen here.
    private async Task<T> RequestAsync<T>(
        IPEndPoint tracker,
        UdpTrackerAction action,
        int minimumReplySize,
        PacketWriter write,
        Func<byte[], T> read,
        CancellationToken cancellationToken)
    {
        try
        {
            var reply = await ExchangeAsync(tracker, action, minimumReplySize, write, needsConnectionId: true, cancellationToken);
            return read(reply);
        }
        catch (TrackerException ex) when (ex.Kind == TrackerErrorKind.Rejected)
        {
            // An error may mean the tracker no longer accepts our connection id (opentracker: "Connection ID
            // missmatch."); connect afresh next time.
            _connectionIds.TryRemove(tracker, out _);
            throw;
        }
    }

    // Sends one packet, retransmitting with the BEP 15 backoff, until a matching reply arrives. Error packets come
    // back as the reply; the caller's codec call turns them into TrackerException.
    private async Task<byte[]> ExchangeAsync(
        IPEndPoint tracker,
        UdpTrackerAction action,
        int minimumReplySize,
        PacketWriter write,
        bool needsConnectionId,
        CancellationToken cancellationToken)
    {
        var pending = Register(tracker, action, minimumReplySize);
        try
        {
            var packet = new byte[UdpTrackerCodec.ScrapeRequestHeaderSize + (UdpTrackerCodec.MaxScrapeHashes * InfoHash.Size)];
            for (var attempt = 0; ; attempt++)
            {
                // Each retransmission checks the connection id's age: a long backoff can outlive it.
                var connectionId = needsConnectionId ? await GetConnectionIdAsync(tracker, cancellationToken) : 0;
                var length = write(packet, connectionId, pending.TransactionId);
                await SendAsync(packet.AsMemory(0, length), tracker, cancellationToken);
                var timeout = RetransmitTimeout(attempt);
                try
                {
                    return await pending.Reply.Task.WaitAsync(timeout, _timeProvider, cancellationToken);
                }
                catch (TimeoutException) when (attempt < _options.MaxRetransmissions)
                {
                    LogRetransmitting(_logger, action, tracker, attempt + 1);
                }
                catch (TimeoutException ex)
                {
                    throw new TrackerException(
                        TrackerErrorKind.Timeout,
                        string.Create(CultureInfo.InvariantCulture, $"The UDP tracker {tracker} did not answer a {action} request after {attempt + 1} tries."),
                        ex);
                }
            }
        }
        finally
        {
            _pending.TryRemove(pending.TransactionId, out _);
        }
    }

    private async Task<long> GetConnectionIdAsync(IPEndPoint tracker, CancellationToken cancellationToken)
    {
        if (_connectionIds.TryGetValue(tracker, out var cached)
            && _timeProvider.GetElapsedTime(cached.ObtainedAt) < _options.ConnectionIdLifetime)
        {
            return cached.Id;
        }

        // The lifetime counts from the request, the tracker's clock starts no earlier.
        var requestedAt = _timeProvider.GetTimestamp();
        var reply = await ExchangeAsync(
            tracker,
            UdpTrackerAction.Connect,
            UdpTrackerCodec.MinimumReplySize(UdpTrackerAction.Connect),
            static (destination, _, transactionId) => UdpTrackerCodec.WriteConnectRequest(destination, transactionId),
            needsConnectionId: false,
            cancellationToken);
        var connectionId = UdpTrackerCodec.ReadConnectResponse(reply);
        if (_connectionIds.Count >= ConnectionCachePruneThreshold)
        {
            foreach (var (endPoint, entry) in _connectionIds)
            {
                if (_timeProvider.GetElapsedTime(entry.ObtainedAt) >= _options.ConnectionIdLifetime)
                {
                    _connectionIds.TryRemove(endPoint, out _);
                }
            }
        }

        _connectionIds[tracker] = new CachedConnectionId(connectionId, requestedAt);
        return connectionId;
    }

    private PendingRequest Register(IPEndPoint tracker, UdpTrackerAction action, int minimumReplySize)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        Span<byte> random = stackalloc byte[sizeof(uint)];
        while (true)
        {
            // BEP 15: random transaction ids, so a spoofed reply has to guess one.
            RandomNumberGenerator.Fill(random);
            var transactionId = BitConverter.ToUInt32(random);
            var pending = new PendingRequest(tracker, action, minimumReplySize, transactionId);
            if (_pending.TryAdd(transactionId, pending))
            {
                // Dispose may have failed the waiters between the check above and the add.
                if (Volatile.Read(ref _disposed) != 0)
                {
                    _pending.TryRemove(transactionId, out _);
                    ObjectDisposedException.ThrowIf(true, this);
                }

                return pending;
            }
        }
    }

    private TimeSpan RetransmitTimeout(int attempt) =>
        TimeSpan.FromTicks(_options.BaseTimeout.Ticks << Math.Min(attempt, MaxBackoffExponent));

    private async Task SendAsync(ReadOnlyMemory<byte> packet, IPEndPoint tracker, CancellationToken cancellationToken)
    {
        try
        {
            await _socket.SendToAsync(packet, SocketFlags.None, tracker, cancellationToken);
        }
        catch (SocketException ex)
        {
            throw new TrackerException(TrackerErrorKind.Unreachable, $"Could not send to the UDP tracker {tracker}: {ex.Message}", ex);
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken cancellationToken)
    {
        // Leave the constructor before the first receive.
        await Task.Yield();
        var buffer = new byte[MaxDatagramSize];
        EndPoint anySender = _socket.AddressFamily == AddressFamily.InterNetworkV6
            ? new IPEndPoint(IPAddress.IPv6Any, 0)
            : new IPEndPoint(IPAddress.Any, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, anySender, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex) when (IsTransient(ex.SocketErrorCode))
            {
                // ICMP errors for earlier sends (port unreachable) and oversized datagrams: one tracker's problem.
                LogReceiveError(_logger, ex.SocketErrorCode);
                continue;
            }
            catch (SocketException ex)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                LogSocketFailed(_logger, ex);
                FailPending(new TrackerException(TrackerErrorKind.Unreachable, $"The UDP tracker socket failed: {ex.Message}", ex));
                return;
            }

            Dispatch(buffer.AsSpan(0, received.ReceivedBytes), Normalize((IPEndPoint)received.RemoteEndPoint));
        }
    }

    private static bool IsTransient(SocketError error) => error is SocketError.ConnectionReset or SocketError.MessageSize
        or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.ConnectionRefused or SocketError.NetworkReset;

    private void Dispatch(ReadOnlySpan<byte> datagram, IPEndPoint source)
    {
        if (!UdpTrackerCodec.TryReadHeader(datagram, out var action, out var transactionId))
        {
            LogIgnored(_logger, datagram.Length, source, "shorter than a reply header");
            return;
        }

        if (!_pending.TryGetValue(transactionId, out var pending) || !pending.Tracker.Equals(source))
        {
            LogIgnored(_logger, datagram.Length, source, "no request waits for this transaction id from this address");
            return;
        }

        if (action != UdpTrackerAction.Error && (action != pending.Action || datagram.Length < pending.MinimumReplySize))
        {
            LogIgnoredMismatch(_logger, datagram.Length, source, action, pending.Action, pending.MinimumReplySize);
            return;
        }

        pending.Reply.TrySetResult(datagram.ToArray());
    }

    private void FailPending(Exception exception)
    {
        foreach (var (_, pending) in _pending)
        {
            pending.Reply.TrySetException(exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored a {Length}-byte datagram from {Source}: {Reason}")]
    private static partial void LogIgnored(ILogger logger, int length, IPEndPoint source, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Ignored a {Length}-byte datagram from {Source} with action {Action}: the request waits for a {Expected} reply of at least {MinimumLength} bytes")]
    private static partial void LogIgnoredMismatch(
        ILogger logger, int length, IPEndPoint source, UdpTrackerAction action, UdpTrackerAction expected, int minimumLength);

    [LoggerMessage(Level = LogLevel.Debug, Message = "No {Action} reply from UDP tracker {Tracker}; retransmission {Attempt}")]
    private static partial void LogRetransmitting(ILogger logger, UdpTrackerAction action, IPEndPoint tracker, int attempt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "UDP tracker socket reported {Error}; still listening")]
    private static partial void LogReceiveError(ILogger logger, SocketError error);

    [LoggerMessage(Level = LogLevel.Error, Message = "UDP tracker socket failed; pending requests fail")]
    private static partial void LogSocketFailed(ILogger logger, Exception exception);

    private readonly record struct CachedConnectionId(long Id, long ObtainedAt);

    private sealed class PendingRequest(IPEndPoint tracker, UdpTrackerAction action, int minimumReplySize, uint transactionId)
    {
        public IPEndPoint Tracker { get; } = tracker;

        public UdpTrackerAction Action { get; } = action;

        public int MinimumReplySize { get; } = minimumReplySize;

        public uint TransactionId { get; } = transactionId;

        public TaskCompletionSource<byte[]> Reply { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
