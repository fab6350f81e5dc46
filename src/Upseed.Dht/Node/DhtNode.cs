using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Upseed.Dht.Krpc;
using Upseed.Dht.Routing;

namespace Upseed.Dht.Node;

/// <summary>
/// One Mainline DHT node on one socket (BEP 5): answers ping, find_node, get_peers and announce_peer, asks them of
/// others with transaction ids and timeouts, and runs iterative lookups. A bad datagram is dropped or answered with
/// the KRPC error; it never stops the node.
/// </summary>
public sealed partial class DhtNode : IAsyncDisposable
{
    private readonly IDhtSocket _socket;
    private readonly TimeProvider _clock;
    private readonly DhtNodeOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly PeerStore _peers;
    private readonly ItemStore _items;
    private readonly RateLimiter _limiter;
    private readonly TokenSecrets _tokens;
    private readonly ConcurrentDictionary<uint, Pending> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly ushort _tidPrefix;
    private readonly Task _receiveLoop;
    private readonly Task _maintenanceLoop;
    private NodeId _id;
    private int _tidCounter;
    private long _messagesSent;
    private long _queriesAnswered;
    private long _dropped;
    private long _errorsSent;
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="DhtNode"/> class and starts its receive loop.</summary>
    /// <param name="socket">The transport; owned and disposed by this node.</param>
    /// <param name="id">Our node id (BEP 42: derive it from the external IP with <see cref="NodeIdRestriction"/>).</param>
    /// <param name="clock">The clock for timeouts, tokens and routing.</param>
    /// <param name="options">Tunables; <see cref="DhtNodeOptions.Default"/> if null.</param>
    /// <param name="routingTable">A table to use (e.g. restored from a snapshot); a new one if null.</param>
    /// <param name="logger">A logger.</param>
    public DhtNode(
        IDhtSocket socket,
        NodeId id,
        TimeProvider clock,
        DhtNodeOptions? options = null,
        RoutingTable? routingTable = null,
        ILogger<DhtNode>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(socket);
        ArgumentNullException.ThrowIfNull(clock);
        _socket = socket;
        _clock = clock;
        _options = options ?? DhtNodeOptions.Default;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _id = id;
        RoutingTable = routingTable ?? new RoutingTable(id, clock, RoutingTableOptions.Default with { BucketSize = _options.K });
        _peers = new PeerStore(_options);
        _items = new ItemStore(id, _options.MaxItems, _options.ItemLifetime);
        _limiter = new RateLimiter(_options.RateLimitPerSecond, _options.RateLimitBurst);
        _tokens = new TokenSecrets(clock, _options.TokenRotation, _options.TokenLength);
        _tidPrefix = (ushort)RandomNumberGenerator.GetInt32(ushort.MaxValue + 1);
        _receiveLoop = Task.Run(ReceiveLoopAsync);
        _maintenanceLoop = Task.Run(MaintenanceLoopAsync);
    }

    /// <summary>
    /// Gets our node id. It changes only when <see cref="DhtNodeOptions.DeriveIdFromExternalAddress"/> is on and the
    /// voted external address needs a BEP 42 id (<see cref="ExternalAddress"/>).
    /// </summary>
    public NodeId Id
    {
        get
        {
            lock (_gate)
            {
                return _id;
            }
        }
    }

    /// <summary>Gets the local endpoint.</summary>
    public IPEndPoint EndPoint => _socket.LocalEndPoint;

    /// <summary>
    /// Gets the routing table. It is not thread-safe and the node's receive loop mutates it: read it through
    /// <see cref="GetClosest"/>, <see cref="Knows"/>, <see cref="GetRoutingTableCounts"/> or <see cref="GetState"/>,
    /// which take the node's lock. It is replaced when the node changes its id.
    /// </summary>
    public RoutingTable RoutingTable { get; private set; }

    /// <summary>Gets the number of datagrams sent.</summary>
    public long MessagesSent => Interlocked.Read(ref _messagesSent);

    /// <summary>Gets the number of queries answered with a response.</summary>
    public long QueriesAnswered => Interlocked.Read(ref _queriesAnswered);

    /// <summary>Gets the number of datagrams dropped (rate-limited, undecodable, unmatched).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Gets the number of KRPC errors sent.</summary>
    public long ErrorsSent => Interlocked.Read(ref _errorsSent);

    /// <summary>Gets the number of requests awaiting a reply.</summary>
    public int PendingRequests => _pending.Count;

    /// <summary>Whether the routing table holds <paramref name="id"/>.</summary>
    /// <param name="id">A node id.</param>
    /// <returns>True when known.</returns>
    public bool Knows(NodeId id)
    {
        lock (_gate)
        {
            return RoutingTable.TryGetNode(id, out _);
        }
    }

    /// <summary>The good nodes closest to <paramref name="target"/>.</summary>
    /// <param name="target">The target id.</param>
    /// <param name="count">How many.</param>
    /// <returns>The nodes, closest first.</returns>
    public IReadOnlyList<CompactNode> GetClosest(NodeId target, int count)
    {
        lock (_gate)
        {
            return [.. RoutingTable.Closest(target, count).Select(n => new CompactNode(n.Id, n.EndPoint))];
        }
    }

    /// <summary>Sends ping.</summary>
    /// <param name="to">The node.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The response (its id is the remote node's).</returns>
    public Task<KrpcResponse> PingAsync(IPEndPoint to, CancellationToken cancellationToken = default) =>
        SendQueryAsync(to, new PingQuery(Id), cancellationToken);

    /// <summary>Sends find_node.</summary>
    /// <param name="to">The node.</param>
    /// <param name="target">The id sought.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The response with nodes.</returns>
    public Task<KrpcResponse> FindNodeAsync(IPEndPoint to, NodeId target, CancellationToken cancellationToken = default) =>
        SendQueryAsync(to, new FindNodeQuery(Id, target, []), cancellationToken);

    /// <summary>Sends get_peers.</summary>
    /// <param name="to">The node.</param>
    /// <param name="infoHash">The info-hash.</param>
    /// <param name="scrape">Ask for BEP 33 bloom filters.</param>
    /// <param name="noSeed">Ask for leechers only (BEP 33).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The response with values or nodes, and a token.</returns>
    public Task<KrpcResponse> GetPeersAsync(
        IPEndPoint to, NodeId infoHash, bool scrape = false, bool noSeed = false, CancellationToken cancellationToken = default) =>
        SendQueryAsync(to, new GetPeersQuery(Id, infoHash, [], noSeed, scrape), cancellationToken);

    /// <summary>Sends announce_peer.</summary>
    /// <param name="to">The node.</param>
    /// <param name="infoHash">The info-hash.</param>
    /// <param name="port">Our TCP port (ignored by the remote when <paramref name="impliedPort"/>).</param>
    /// <param name="token">The token from that node's get_peers reply.</param>
    /// <param name="impliedPort">Use the UDP source port instead.</param>
    /// <param name="seed">We are a seed (BEP 33).</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The response.</returns>
    public Task<KrpcResponse> AnnouncePeerAsync(
        IPEndPoint to,
        NodeId infoHash,
        int port,
        ReadOnlyMemory<byte> token,
        bool impliedPort = false,
        bool seed = false,
        CancellationToken cancellationToken = default) =>
        SendQueryAsync(to, new AnnouncePeerQuery(Id, infoHash, port, impliedPort, token, seed), cancellationToken);

    /// <summary>Joins the network: find_node on our own id at each bootstrap node, then an iterative lookup of our id.</summary>
    /// <param name="bootstrap">Known nodes (routers or peers).</param>
    /// <param name="cancellationToken">Cancels the bootstrap.</param>
    /// <returns>The lookup of our own id.</returns>
    public async Task<DhtLookupResult> BootstrapAsync(IEnumerable<IPEndPoint> bootstrap, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bootstrap);
        var tasks = bootstrap.Select(async ep =>
        {
            try
            {
                return (IReadOnlyList<CompactNode>)[.. (await FindNodeAsync(ep, Id, cancellationToken)).Nodes];
            }
            catch (Exception e) when (e is TimeoutException or DhtQueryException)
            {
                return [];
            }
        }).ToList();
        var seeds = (await Task.WhenAll(tasks)).SelectMany(n => n).ToList();
        return await LookupCoreAsync(Id, QueryKind.FindNode, seeds, cancellationToken);
    }

    /// <summary>Iterative get_peers lookup: alpha requests in flight, until the K closest nodes seen have answered.</summary>
    /// <param name="infoHash">The info-hash.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>Peers found and the closest nodes with their tokens.</returns>
    public Task<DhtLookupResult> LookupAsync(NodeId infoHash, CancellationToken cancellationToken = default) =>
        LookupCoreAsync(infoHash, QueryKind.GetPeers, [], cancellationToken);

    /// <summary>Iterative find_node lookup.</summary>
    /// <param name="target">The id sought.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The closest nodes.</returns>
    public Task<DhtLookupResult> FindClosestAsync(NodeId target, CancellationToken cancellationToken = default) =>
        LookupCoreAsync(target, QueryKind.FindNode, [], cancellationToken);

    /// <summary>Looks up <paramref name="infoHash"/> and announces to the closest nodes that gave a token.</summary>
    /// <param name="infoHash">The info-hash.</param>
    /// <param name="port">Our TCP port.</param>
    /// <param name="impliedPort">Ask storers to use our UDP source port.</param>
    /// <param name="seed">We are a seed.</param>
    /// <param name="cancellationToken">Cancels the announce.</param>
    /// <returns>The lookup result and how many nodes accepted the announce.</returns>
    public async Task<(DhtLookupResult Lookup, int Stored)> AnnounceAsync(
        NodeId infoHash, int port, bool impliedPort = false, bool seed = false, CancellationToken cancellationToken = default)
    {
        var lookup = await LookupAsync(infoHash, cancellationToken);
        var results = await Task.WhenAll(lookup.Closest.Where(c => !c.Token.IsEmpty).Select(async c =>
        {
            try
            {
                await AnnouncePeerAsync(c.Node.EndPoint, infoHash, port, c.Token, impliedPort, seed, cancellationToken);
                return 1;
            }
            catch (Exception e) when (e is TimeoutException or DhtQueryException)
            {
                return 0;
            }
        }));
        return (lookup, results.Sum());
    }

    /// <summary>Stops the receive loop, fails every pending request and disposes the socket.</summary>
    /// <returns>A task that completes when stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stop.CancelAsync();
        await _socket.DisposeAsync();
        try
        {
            await _receiveLoop;
            await _maintenanceLoop;
        }
        catch (OperationCanceledException)
        {
            // Expected on stop.
        }

        foreach (var key in _pending.Keys)
        {
            if (_pending.TryRemove(key, out var pending))
            {
                pending.Completion.TrySetException(new ObjectDisposedException(nameof(DhtNode)));
            }
        }

        _stop.Dispose();
    }

    private async Task<KrpcResponse> SendQueryAsync(IPEndPoint to, KrpcQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(to);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var key = ((uint)_tidPrefix << 16) | (ushort)Interlocked.Increment(ref _tidCounter);
        var tid = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(tid, key);
        var pending = new Pending(to, query.Kind);
        if (!_pending.TryAdd(key, pending))
        {
            throw new InvalidOperationException("Transaction id space exhausted.");
        }

        try
        {
            await SendAsync(KrpcMessage.ForQuery(tid, query, _options.ReadOnly), to);
            return await pending.Completion.Task.WaitAsync(_options.QueryTimeout, _clock, cancellationToken);
        }
        catch (TimeoutException)
        {
            if (pending.RemoteId is null && _pending.TryGetValue(key, out _))
            {
                lock (_gate)
                {
                    var ids = RoutingTable.Buckets.SelectMany(b => b.Nodes.Concat(b.Replacements))
                        .Where(n => n.EndPoint.Equals(to)).Select(n => n.Id).ToList();
                    foreach (var id in ids)
                    {
                        RoutingTable.Failed(id);
                    }
                }
            }

            throw;
        }
        finally
        {
            _pending.TryRemove(key, out _);
        }
    }

    private async Task SendAsync(KrpcMessage message, IPEndPoint to)
    {
        var bytes = KrpcCodec.Encode(message);
        Interlocked.Increment(ref _messagesSent);
        try
        {
            await _socket.SendAsync(bytes, to, _stop.Token);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        catch (ObjectDisposedException)
        {
            // Stopping.
        }
    }

    private async Task ReceiveLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            DhtDatagram datagram;
            try
            {
                datagram = await _socket.ReceiveAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                LogReceiveFailed(e.SocketErrorCode);
                continue;
            }

            try
            {
                await HandleAsync(datagram);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A bad message costs that message, never the node (STYLE rule 6).
                Interlocked.Increment(ref _dropped);
                LogBadDatagram(datagram.From, e.Message);
            }
        }
    }

    private async Task HandleAsync(DhtDatagram datagram)
    {
        var from = datagram.From;
        if (!KrpcCodec.TryDecode(datagram.Data, out var message, out var errorReply))
        {
            Interlocked.Increment(ref _dropped);
            if (errorReply is not null && AllowQuery(from))
            {
                Interlocked.Increment(ref _errorsSent);
                await SendAsync(errorReply, from);
            }

            return;
        }

        switch (message.Kind)
        {
            case KrpcMessageKind.Query:
                if (!AllowQuery(from))
                {
                    Interlocked.Increment(ref _dropped);
                    return;
                }

                await AnswerAsync(message, from);
                return;
            case KrpcMessageKind.Response:
                OnResponse(message, from);
                return;
            default:
                OnError(message, from);
                return;
        }
    }

    private bool AllowQuery(IPEndPoint from)
    {
        lock (_gate)
        {
            return _limiter.TryAcquire(from.Address, _clock.GetUtcNow());
        }
    }

    private bool TryTakePending(KrpcMessage message, IPEndPoint from, out uint key, out Pending? pending)
    {
        key = 0;
        pending = null;
        if (message.TransactionId.Length != 4)
        {
            return false;
        }

        key = BinaryPrimitives.ReadUInt32BigEndian(message.TransactionId.Span);
        if (!_pending.TryGetValue(key, out pending) || !pending.To.Equals(from))
        {
            return false;
        }

        return _pending.TryRemove(key, out _);
    }

    private void OnResponse(KrpcMessage message, IPEndPoint from)
    {
        if (!TryTakePending(message, from, out _, out var pending))
        {
            Interlocked.Increment(ref _dropped);
            return;
        }

        if (!KrpcCodec.TryReadResponse(message, pending!.Kind, out var response, out var error))
        {
            pending.Completion.TrySetException(new DhtQueryException(error));
            return;
        }

        pending.RemoteId = response.Id;
        if (message.ExternalAddress is { } reported)
        {
            VoteExternalAddress(from.Address, reported.Address);
        }

        if (response.Id != Id && IsAcceptableId(response.Id, from))
        {
            InsertResult result;
            lock (_gate)
            {
                result = RoutingTable.Seen(response.Id, from, isResponse: true);
            }

            PingIfAsked(result);
        }

        pending.Completion.TrySetResult(response);
    }

    private void OnError(KrpcMessage message, IPEndPoint from)
    {
        if (!TryTakePending(message, from, out _, out var pending))
        {
            Interlocked.Increment(ref _dropped);
            return;
        }

        pending!.Completion.TrySetException(new DhtQueryException(message.Error!));
    }

    private async Task AnswerAsync(KrpcMessage message, IPEndPoint from)
    {
        var query = message.Query!;
        var now = _clock.GetUtcNow();
        InsertResult? seen = null;
        if (!message.ReadOnly && query.Id != Id && IsAcceptableId(query.Id, from))
        {
            lock (_gate)
            {
                seen = RoutingTable.Seen(query.Id, from, isResponse: false);
            }
        }

        KrpcResponse? response = null;
        KrpcError? error = null;
        switch (query)
        {
            case PingQuery:
                response = new KrpcResponse(Id);
                break;
            case FindNodeQuery f:
                response = WithNodes(new KrpcResponse(Id), f.Target, from);
                break;
            case GetPeersQuery g:
                response = AnswerGetPeers(g, from, now);
                break;
            case GetQuery g:
                response = AnswerGet(g, from, now);
                break;
            case PutQuery p:
                error = AnswerPut(p, from, now);
                response = error is null ? new KrpcResponse(Id) : null;
                break;
            case AnnouncePeerQuery a:
                if (!_tokens.IsValid(from.Address, a.Token.Span))
                {
                    error = new KrpcError(KrpcErrorCode.Protocol, "Protocol Error: bad token");
                    break;
                }

                var peer = new IPEndPoint(from.Address, a.ImpliedPort ? from.Port : a.Port);
                lock (_gate)
                {
                    _peers.Add(a.InfoHash, peer, a.Seed, now);
                }

                response = new KrpcResponse(Id);
                break;
            default:
                error = new KrpcError(KrpcErrorCode.MethodUnknown, "Method Unknown");
                break;
        }

        if (response is not null)
        {
            Interlocked.Increment(ref _queriesAnswered);
            await SendAsync(KrpcMessage.ForResponse(message.TransactionId, response, from), from);
        }
        else
        {
            Interlocked.Increment(ref _errorsSent);
            await SendAsync(KrpcMessage.ForError(message.TransactionId, error!), from);
        }

        if (seen is { Outcome: InsertOutcome.Added })
        {
            // A newcomer that queried us is questionable until it answers; ask it once so Closest can hand it out.
            PingQuietly(from);
        }

        PingIfAsked(seen);
    }

    private KrpcResponse AnswerGetPeers(GetPeersQuery g, IPEndPoint from, DateTimeOffset now)
    {
        IReadOnlyList<(IPEndPoint Peer, bool Seed)> stored;
        lock (_gate)
        {
            stored = _peers.Get(g.InfoHash, now);
        }

        var response = new KrpcResponse(Id) { Token = _tokens.Create(from.Address) };
        var values = stored.Where(p => !g.NoSeed || !p.Seed).Select(p => p.Peer).ToList();
        if (values.Count > _options.MaxValuesPerReply)
        {
            values = [.. values.OrderBy(_ => RandomNumberGenerator.GetInt32(int.MaxValue)).Take(_options.MaxValuesPerReply)];
        }

        response = values.Count > 0 ? response with { Values = values } : WithNodes(response, g.InfoHash, from);
        if (g.Scrape)
        {
            var seeds = new ScrapeBloomFilter();
            var leechers = new ScrapeBloomFilter();
            foreach (var (peer, seed) in stored)
            {
                (seed ? seeds : leechers).Add(peer.Address);
            }

            response = response with { SeedsFilter = seeds.Bytes.ToArray(), PeersFilter = leechers.Bytes.ToArray() };
        }

        return response;
    }

    private KrpcResponse WithNodes(KrpcResponse response, NodeId target, IPEndPoint from)
    {
        var closest = GetClosest(target, _options.K);
        var v4 = closest.Where(n => n.EndPoint.AddressFamily == AddressFamily.InterNetwork).ToList();
        var v6 = closest.Where(n => n.EndPoint.AddressFamily == AddressFamily.InterNetworkV6).ToList();
        _ = from;
        return response with { Nodes = v4, Nodes6 = v6 };
    }

    private void PingIfAsked(InsertResult? result)
    {
        if (result is { Outcome: InsertOutcome.PingFirst, Node: { } questionable })
        {
            PingQuietly(questionable.EndPoint);
        }
    }

    private void PingQuietly(IPEndPoint to)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await PingAsync(to, _stop.Token);
            }
            catch (Exception e) when (e is TimeoutException or DhtQueryException or OperationCanceledException or ObjectDisposedException)
            {
                // Failure is recorded in the routing table by the timeout path.
            }
        });
    }

    private Task<DhtLookupResult> LookupCoreAsync(
        NodeId target, QueryKind kind, IReadOnlyList<CompactNode> extraSeeds, CancellationToken cancellationToken) =>
        LookupCoreAsync(
            target,
            kind == QueryKind.GetPeers
                ? (to, ct) => GetPeersAsync(to, target, cancellationToken: ct)
                : (to, ct) => FindNodeAsync(to, target, ct),
            observe: (_, response) => response.Values.Count > 0 ? LookupSignal.Found : LookupSignal.Continue,
            extraSeeds,
            cancellationToken);

    // The iterative lookup of BEP 5: alpha requests in flight to the closest candidates not yet asked, until the K
    // closest that did not fail have all answered. observe sees each response in turn (never concurrently) and says
    // whether it carried what is sought (for the hop count) or ends the lookup early.
    private async Task<DhtLookupResult> LookupCoreAsync(
        NodeId target,
        Func<IPEndPoint, CancellationToken, Task<KrpcResponse>> ask,
        Func<CompactNode, KrpcResponse, LookupSignal> observe,
        IReadOnlyList<CompactNode> extraSeeds,
        CancellationToken cancellationToken)
    {
        var k = _options.K;
        var candidates = new SortedDictionary<NodeId, Candidate>(Comparer<NodeId>.Create((x, y) => x.Xor(target).CompareTo(y.Xor(target))));
        void AddCandidate(CompactNode node, int hop)
        {
            if (node.Id != Id && !candidates.ContainsKey(node.Id))
            {
                candidates[node.Id] = new Candidate(node, hop);
            }
        }

        foreach (var node in GetClosest(target, k).Concat(extraSeeds))
        {
            AddCandidate(node, 1);
        }

        var peers = new HashSet<IPEndPoint>();
        var inFlight = new Dictionary<Task<KrpcResponse>, Candidate>();
        var sent = 0;
        var peerHops = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // The K closest candidates that have not failed; done when all of them answered.
            var window = candidates.Values.Where(c => c.State != CandidateState.Failed).Take(k).ToList();
            if (window.All(c => c.State == CandidateState.Answered) && inFlight.Count == 0)
            {
                break;
            }

            foreach (var next in window.Where(c => c.State == CandidateState.New))
            {
                if (inFlight.Count >= _options.Alpha || sent >= _options.MaxLookupMessages)
                {
                    break;
                }

                next.State = CandidateState.Asked;
                sent++;
                inFlight[ask(next.Node.EndPoint, cancellationToken)] = next;
            }

            if (inFlight.Count == 0)
            {
                break;
            }

            var done = await Task.WhenAny(inFlight.Keys);
            var candidate = inFlight[done];
            inFlight.Remove(done);
            try
            {
                var response = await done;
                foreach (var node in response.Nodes.Concat(response.Nodes6))
                {
                    AddCandidate(node, candidate.Hop + 1);
                }

                if (!IsAcceptableId(response.Id, candidate.Node.EndPoint))
                {
                    // BEP 42: a responder whose id does not fit its address counts as giving no token: its referrals
                    // are used, but it neither ends the lookup nor is asked to store.
                    candidate.State = CandidateState.Failed;
                    continue;
                }

                candidate.State = CandidateState.Answered;
                candidate.Token = response.Token;

                peers.UnionWith(response.Values);
                var signal = observe(candidate.Node, response);
                if (signal != LookupSignal.Continue)
                {
                    peerHops = peerHops == 0 ? candidate.Hop : Math.Min(peerHops, candidate.Hop);
                }

                if (signal == LookupSignal.Stop)
                {
                    ObserveAbandoned(inFlight.Keys);
                    break;
                }
            }
            catch (Exception e) when (e is TimeoutException or DhtQueryException or ObjectDisposedException)
            {
                candidate.State = CandidateState.Failed;
            }
        }

        var closest = candidates.Values.Where(c => c.State == CandidateState.Answered).Take(k).ToList();
        var hops = peerHops > 0 ? peerHops : closest.Count == 0 ? 0 : closest.Max(c => c.Hop);
        return new DhtLookupResult(
            target, [.. peers], [.. closest.Select(c => new DhtTokenNode(c.Node, c.Token))], hops, sent);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "DHT datagram from {From} dropped: {Reason}")]
    private partial void LogBadDatagram(IPEndPoint from, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "DHT receive failed: {Error}")]
    private partial void LogReceiveFailed(SocketError error);

    private static void ObserveAbandoned(IEnumerable<Task<KrpcResponse>> tasks)
    {
        foreach (var task in tasks)
        {
            // Requests still in flight when a lookup stops early end on their own (reply or timeout).
            _ = task.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }

    private enum LookupSignal
    {
        Continue,
        Found,
        Stop,
    }

    private enum CandidateState
    {
        New,
        Asked,
        Answered,
        Failed,
    }

    private sealed class Candidate(CompactNode node, int hop)
    {
        public CompactNode Node { get; } = node;

        public int Hop { get; } = hop;

        public CandidateState State { get; set; }

        public ReadOnlyMemory<byte> Token { get; set; }
    }

    private sealed class Pending(IPEndPoint to, QueryKind kind)
    {
        public IPEndPoint To { get; } = to;

        public QueryKind Kind { get; } = kind;

        public NodeId? RemoteId { get; set; }

        public TaskCompletionSource<KrpcResponse> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
