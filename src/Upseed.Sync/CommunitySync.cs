using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Upseed.Metainfo;
using Upseed.Records;
using Upseed.Torrent;
using Upseed.Torrent.Swarm;
using Upseed.Torrent.Wire;

namespace Upseed.Sync;

/// <summary>
/// A node's community sync: the communities it carries, a <see cref="SyncSession"/> per sync connection, and push.
/// <list type="bullet">
/// <item>Incoming: set it as <see cref="PeerListener.HandshakeHandler"/>; handshakes naming the swarm key of a carried
/// community become sessions (the peer that dialled reconciles).</item>
/// <item>Outgoing: <see cref="ConnectAsync"/> once, or <see cref="MaintainLinkAsync"/> to keep a link up with backoff.</item>
/// <item>Push: after <see cref="Start"/>, the store's change feed is polled every
/// <see cref="SyncOptions.ChangePollInterval"/> (so records the CLI writes are found) and at once after
/// <see cref="NotifyChanged"/>; every new record goes to every session of its community (records without a community,
/// such as identities, to every session). Records that arrive from one peer are relayed to the others straight away.</item>
/// </list>
/// </summary>
public sealed partial class CommunitySync : IPeerHandshakeHandler, IAsyncDisposable
{
    // The feed re-reads this many sequences back: SQLite may hand a replaced record's sequence to its successor.
    private const int FeedLookback = 32;
    private const int FeedBatch = 512;

    private readonly ISyncRecordSource _source;
    private readonly SyncOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly ConcurrentDictionary<InfoHash, string> _carried = new();
    private readonly ConcurrentDictionary<SyncSession, byte> _sessions = new();
    private readonly ConcurrentDictionary<Task, byte> _running = new();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly SemaphoreSlim _changed = new(0, 1);
    private Task? _feed;

    public CommunitySync(ISyncRecordSource source, SyncOptions? options = null, PeerId? peerId = null, ILogger? logger = null, TimeProvider? clock = null)
    {
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _options = options ?? SyncOptions.Default;
        _options.Reconcile.Validate();
        _logger = logger ?? NullLogger.Instance;
        _clock = clock ?? TimeProvider.System;
        PeerId = peerId ?? PeerId.CreateRandom();
    }

    public PeerId PeerId { get; }

    /// <summary>The communities carried.</summary>
    public IReadOnlyCollection<string> Communities => [.. _carried.Values];

    /// <summary>Open sessions.</summary>
    public IReadOnlyList<SyncSession> Sessions => [.. _sessions.Keys];

    /// <summary>Records received from peers and stored, over all sessions.</summary>
    public long RecordsAccepted => _sessions.Keys.Sum(s => s.RecordsAccepted) + Interlocked.Read(ref _closedAccepted);

    private long _closedAccepted;

    /// <summary>Carries a community: incoming connections for its swarm key are accepted.</summary>
    public void Carry(string community) => _carried[CommunitySwarmKey.For(community)] = community;

    /// <summary>Stops carrying a community and ends its sessions.</summary>
    public bool Uncarry(string community)
    {
        var removed = _carried.TryRemove(CommunitySwarmKey.For(community), out _);
        foreach (var session in _sessions.Keys.Where(s => s.Community == community))
        {
            session.Stop();
        }

        return removed;
    }

    public bool Accepts(InfoHash infoHash) => _carried.ContainsKey(infoHash);

    /// <summary>Runs an incoming sync connection (the listener calls this; it owns the channel).</summary>
    public Task RunAsync(PeerChannel channel, Handshake handshake, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return _carried.TryGetValue(handshake.InfoHash, out var community)
            ? RunSessionAsync(channel, community, initiator: false, handshake, cancellationToken)
            : Task.CompletedTask;
    }

    /// <summary>
    /// Dials a peer for a community and returns the session once both hellos are through; the session then runs in
    /// the background until the connection ends (see <see cref="SyncSession.RunAsync"/>), and this side reconciles.
    /// </summary>
    /// <exception cref="SocketException">The peer could not be reached.</exception>
    /// <exception cref="IOException">The connection failed during the handshakes, or the peer refused the community.</exception>
    public async Task<SyncSession> ConnectAsync(IPEndPoint endpoint, string community, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentException.ThrowIfNullOrEmpty(community);
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
            connectTimeout.CancelAfter(_options.HandshakeTimeout);
            await socket.ConnectAsync(endpoint, connectTimeout.Token).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var channel = PeerChannel.Create(new NetworkStream(socket, ownsSocket: true), endpoint, PeerWireOptions.Default, _clock);
        var created = new TaskCompletionSource<SyncSession>(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = RunOwnedAsync(channel, community, created, cancellationToken);
        Track(run);
        var session = await created.Task.ConfigureAwait(false);
        try
        {
            await session.Established.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"Sync with {endpoint} for {community} ended during the handshakes.");
        }

        return session;
    }

    /// <summary>
    /// Keeps a sync link to a peer up until <paramref name="cancellationToken"/> fires: connects, runs the session,
    /// and reconnects after a failure or a hang-up, waiting <see cref="SyncOptions.ReconnectMin"/> doubling to
    /// <see cref="SyncOptions.ReconnectMax"/> (reset after a session that got established).
    /// </summary>
    public async Task MaintainLinkAsync(IPEndPoint endpoint, string community, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        var token = linked.Token;
        var delay = _options.ReconnectMin;
        while (!token.IsCancellationRequested)
        {
            try
            {
                var session = await ConnectAsync(endpoint, community, token).ConfigureAwait(false);
                delay = _options.ReconnectMin;
                await session.Completion.WaitAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
            {
                LogLinkFailed(_logger, endpoint, community, ex.Message);
            }

            try
            {
                await Task.Delay(delay, _clock, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.ReconnectMax.Ticks));
        }
    }

    /// <summary>Starts following the store's change feed for push. Records already stored are not pushed.</summary>
    public void Start()
    {
        if (_feed is null)
        {
            var start = _source.LastSequence();
            _feed = Task.Run(() => FollowChangesAsync(start, _shutdown.Token));
        }
    }

    /// <summary>Looks at the change feed now (call after a local ingest, so a new post leaves at once).</summary>
    public void NotifyChanged()
    {
        try
        {
            _changed.Release();
        }
        catch (SemaphoreFullException)
        {
            // A look is already due.
        }
        catch (ObjectDisposedException)
        {
            // Shut down.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _shutdown.CancelAsync().ConfigureAwait(false);
        foreach (var session in _sessions.Keys)
        {
            session.Stop();
        }

        if (_feed is not null)
        {
            await _feed.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        await Task.WhenAll(_running.Keys).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _changed.Dispose();
        _shutdown.Dispose();
    }

    private async Task RunOwnedAsync(PeerChannel channel, string community, TaskCompletionSource<SyncSession> created, CancellationToken cancellationToken)
    {
        await using (channel.ConfigureAwait(false))
        {
            await RunSessionAsync(channel, community, initiator: true, null, cancellationToken, created).ConfigureAwait(false);
        }
    }

    private async Task RunSessionAsync(
        PeerChannel channel,
        string community,
        bool initiator,
        Handshake? handshake,
        CancellationToken cancellationToken,
        TaskCompletionSource<SyncSession>? created = null)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
        using var session = new SyncSession(channel, community, initiator, _source, _options, PeerId, _logger, _clock, Relay);
        _sessions.TryAdd(session, 0);
        created?.TrySetResult(session);
        try
        {
            var run = session.RunAsync(handshake, linked.Token);
            session.Completion = run;
            await run.ConfigureAwait(false);
        }
        finally
        {
            _sessions.TryRemove(session, out _);
            Interlocked.Add(ref _closedAccepted, session.RecordsAccepted);
        }
    }

    private void Track(Task task)
    {
        _running.TryAdd(task, 0);
        _ = task.ContinueWith(t => _running.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    // Records a peer sent and the store took: on to every other session at once.
    private void Relay(SyncSession from, IReadOnlyList<SignedRecord> records)
    {
        foreach (var record in records)
        {
            Route(record.Id, record.Community, record.Bytes.Length, from);
        }
    }

    private void Route(InfoHash id, string? community, int size, SyncSession? except)
    {
        foreach (var session in _sessions.Keys)
        {
            if (session != except && (community is null || session.Community == community))
            {
                session.Push(id, size);
            }
        }
    }

    private async Task FollowChangesAsync(long last, CancellationToken token)
    {
        var recent = new Dictionary<long, InfoHash>();
        while (!token.IsCancellationRequested)
        {
            try
            {
                await _changed.WaitAsync(_options.ChangePollInterval, token).ConfigureAwait(false);
                IReadOnlyList<Store.RecordChange> changes;
                do
                {
                    changes = _source.ChangesSince(Math.Max(0, last - FeedLookback), FeedBatch);
                    foreach (var change in changes)
                    {
                        if (recent.TryGetValue(change.Sequence, out var seen) && seen == change.Id)
                        {
                            continue;
                        }

                        recent[change.Sequence] = change.Id;
                        last = Math.Max(last, change.Sequence);
                        Route(change.Id, change.Community, change.Size, except: null);
                    }

                    foreach (var old in recent.Keys.Where(seq => seq < last - FeedLookback).ToList())
                    {
                        recent.Remove(old);
                    }
                }
                while (changes.Count == FeedBatch && !token.IsCancellationRequested);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A busy or locked database: try again at the next poll.
                LogFeedFailed(_logger, ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sync link to {Endpoint} ({Community}) failed: {Reason}")]
    private static partial void LogLinkFailed(ILogger logger, IPEndPoint endpoint, string community, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the change feed failed: {Reason}")]
    private static partial void LogFeedFailed(ILogger logger, string reason);
}
