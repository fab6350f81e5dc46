using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Upseed.Crypto;
using Upseed.Dht;
using Upseed.Dht.Items;
using Upseed.Dht.Node;
using Upseed.Metainfo;
using Upseed.Store;
using Upseed.Torrent.Lsd;

namespace Upseed.Node.Discovery;

/// <summary>
/// Finding other boxes: runs the node's DHT node (BEP 5/44) and local service discovery (BEP 14), announces the
/// swarm keys of <see cref="DiscoveryTargets"/> within the <c>dht.announces-per-minute</c> budget
/// (<see cref="AnnounceScheduler"/>), puts each local identity's feed head (BEP 46) and re-puts it hourly, and hands
/// every peer it finds to <see cref="KnownPeers"/>. The routing table is saved in the data folder on stop and
/// restored on start. A failure to bind the DHT or LSD sockets is logged and the node runs without them.
/// </summary>
public sealed partial class DiscoveryService : BackgroundService
{
    /// <summary>Setting: DHT announces started per minute (own posts, then recent upvotes, then communities).</summary>
    public const string AnnouncesPerMinuteSetting = "dht.announces-per-minute";

    /// <summary>The default budget: 20 a minute keeps 400 keys announced at a 20-minute interval.</summary>
    public const int DefaultAnnouncesPerMinute = 20;

    /// <summary>The salt of the feed-head item: the mutable item at SHA-1(author key ‖ salt) holds <c>{ih: newest post}</c>.</summary>
    public const string FeedSalt = "upseed-feed";

    /// <summary>The DHT's saved state in the data folder: our id, the routing table's nodes, our external address.</summary>
    public const string RoutingTableFileName = "dht-state.benc";

    private const int MaxConcurrentAnnounces = 4;
    private const int MaxLsdKeys = 60;

    private readonly RecordStore _store;
    private readonly SeedingService _seeding;
    private readonly NodeOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly TimeProvider _clock;
    private readonly Func<AddressFamily, ILsdTransport>? _lsdTransports;
    private readonly DiscoveryTargets _targets;
    private readonly KeyDirectory _keys;
    private readonly List<LocalServiceDiscovery> _lsd = [];
    private readonly List<Task> _lsdReaders = [];
    private readonly Dictionary<Task, AnnounceTarget> _announces = [];
    private readonly Dictionary<string, (InfoHash Post, DateTimeOffset Due)> _feedPuts = new(StringComparer.Ordinal);
    private readonly HashSet<IPAddress> _localAddresses = [];
    private Task? _feedPut;
    private Task? _bootstrap;
    private DateTimeOffset _nextBootstrap = DateTimeOffset.MinValue;
    private TimeSpan _bootstrapBackoff = TimeSpan.FromSeconds(15);
    private int _listenPort;
    private long _feedPutsStored;
    private volatile bool _ready;
    private DhtNodeState? _saved;
    private DateTimeOffset _nextSave = DateTimeOffset.MinValue;
    private int _shutdown;

    /// <param name="store">The store; not owned.</param>
    /// <param name="seeding">The peer listener, whose port is announced.</param>
    /// <param name="options">Node options (DHT and LSD switches, bootstrap, communities, timings).</param>
    /// <param name="knownPeers">Where found peers go.</param>
    /// <param name="loggers">Loggers for this service, the DHT node and LSD.</param>
    /// <param name="clock">The clock; the system clock when null.</param>
    /// <param name="lsdTransports">Makes the LSD transport for a family; real multicast sockets when null (tests pass sockets made in a network namespace).</param>
    public DiscoveryService(
        RecordStore store,
        SeedingService seeding,
        NodeOptions options,
        KnownPeers knownPeers,
        ILoggerFactory loggers,
        TimeProvider? clock = null,
        Func<AddressFamily, ILsdTransport>? lsdTransports = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _seeding = seeding ?? throw new ArgumentNullException(nameof(seeding));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        KnownPeers = knownPeers ?? throw new ArgumentNullException(nameof(knownPeers));
        _loggers = loggers ?? throw new ArgumentNullException(nameof(loggers));
        _logger = loggers.CreateLogger<DiscoveryService>();
        _clock = clock ?? TimeProvider.System;
        _lsdTransports = lsdTransports;
        _keys = new KeyDirectory(Path.Combine(options.DataFolder, "keys"));
        _targets = new DiscoveryTargets(store, _keys, options.Communities);
        Scheduler = new AnnounceScheduler(_clock, DefaultAnnouncesPerMinute, options.DhtReannounceInterval, options.DhtRetryAfterFailure);
    }

    /// <summary>The peers found, per swarm key: what sync and fetches dial.</summary>
    public KnownPeers KnownPeers { get; }

    /// <summary>The announce schedule and budget.</summary>
    public AnnounceScheduler Scheduler { get; }

    /// <summary>The DHT node while it runs; null when the DHT is off or its socket could not be bound.</summary>
    public DhtNode? Dht { get; private set; }

    /// <summary>True once the DHT and LSD have been started (or found off).</summary>
    public bool IsReady => _ready;

    /// <summary>Feed-head puts that at least one node stored.</summary>
    public long FeedPutsStored => Interlocked.Read(ref _feedPutsStored);

    /// <summary>What /healthz shows about discovery.</summary>
    public DiscoveryStatus Status()
    {
        var dht = Dht;
        DhtStatus? dhtStatus = null;
        if (_options.Dht)
        {
            dhtStatus = new DhtStatus(
                dht is not null,
                dht?.EndPoint.Port,
                dht?.Id.ToString(),
                dht is null ? 0 : GoodNodes(dht),
                Scheduler.AnnouncesSucceeded,
                Scheduler.AnnouncesStarted,
                Scheduler.AnnouncesFailed,
                dht?.StoredItemCount ?? 0,
                Scheduler.Targets.Count,
                Scheduler.SustainableKeys,
                Scheduler.AnnouncesPerMinute,
                FeedPutsStored);
        }

        LsdStatus? lsdStatus = null;
        if (_options.Lsd)
        {
            LocalServiceDiscovery[] lsd;
            lock (_lsd)
            {
                lsd = [.. _lsd];
            }

            lsdStatus = new LsdStatus(lsd.Length > 0, lsd.Length, lsd.Sum(l => l.AnnouncesSent), lsd.Sum(l => l.PeersFound));
        }

        return new DiscoveryStatus(dhtStatus, lsdStatus, KnownPeers.SwarmCount, KnownPeers.PeerCount);
    }

    /// <summary>Announces every due key now (within the budget) and waits for them: for tests and tools.</summary>
    public async Task AnnounceDueNowAsync(CancellationToken cancellationToken)
    {
        if (Dht is not { } dht)
        {
            return;
        }

        var due = Scheduler.TakeDue();
        await Task.WhenAll(due.Select(t => AnnounceAsync(dht, t, cancellationToken))).ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await ShutdownAsync().ConfigureAwait(false);
    }

    public override void Dispose()
    {
        ShutdownAsync().AsTask().GetAwaiter().GetResult();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (_seeding.Listener is null)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), stoppingToken).ConfigureAwait(false);
        }

        _listenPort = _seeding.Listener.LocalEndPoint.Port;
        CollectLocalAddresses();
        RefreshTargets();
        if (_options.Dht)
        {
            StartDht();
        }

        if (_options.Lsd)
        {
            StartLsd();
        }

        _ready = true;
        _nextSave = _clock.GetUtcNow() + TimeSpan.FromMinutes(10);
        var nextRefresh = _clock.GetUtcNow() + _options.DiscoveryRefreshInterval;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var now = _clock.GetUtcNow();
                if (now >= nextRefresh)
                {
                    RefreshTargets();
                    nextRefresh = now + _options.DiscoveryRefreshInterval;
                }

                if (Dht is { } dht)
                {
                    Tick(dht, now, stoppingToken);
                }

                await Task.Delay(_options.DiscoveryTick, _clock, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private static int GoodNodes(DhtNode dht)
    {
        try
        {
            return dht.GetRoutingTableCounts().Good;
        }
        catch (ObjectDisposedException)
        {
            return 0;
        }
    }

    private void Tick(DhtNode dht, DateTimeOffset now, CancellationToken token)
    {
        var good = GoodNodes(dht);
        if (good == 0 && _bootstrap is null or { IsCompleted: true } && now >= _nextBootstrap)
        {
            _bootstrap = BootstrapAsync(dht, token);
            _nextBootstrap = now + _bootstrapBackoff;
            _bootstrapBackoff = TimeSpan.FromTicks(Math.Min(_bootstrapBackoff.Ticks * 2, TimeSpan.FromMinutes(5).Ticks));
        }
        else if (good > 0)
        {
            _bootstrapBackoff = TimeSpan.FromSeconds(15);
        }

        if (good == 0)
        {
            // Nobody to announce to: spending the budget now would only push real announces back.
            return;
        }

        foreach (var done in _announces.Keys.Where(t => t.IsCompleted).ToList())
        {
            _announces.Remove(done);
        }

        var free = MaxConcurrentAnnounces - _announces.Count;
        if (free > 0)
        {
            foreach (var target in Scheduler.TakeDue(free))
            {
                _announces[AnnounceAsync(dht, target, token)] = target;
            }
        }

        if (_feedPut is null or { IsCompleted: true })
        {
            _feedPut = PutFeedHeadsAsync(dht, now, token);
        }

        if (now >= _nextSave)
        {
            // Saved now and then as well as on stop, so a power cut costs at most this much of the table.
            _nextSave = now + TimeSpan.FromMinutes(10);
            SaveRoutingTable(dht);
        }
    }

    private void RefreshTargets()
    {
        try
        {
            _store.ReloadSettings();
            var budget = _store.GetSetting(AnnouncesPerMinuteSetting);
            if (budget is not null)
            {
                if (int.TryParse(budget, NumberStyles.None, CultureInfo.InvariantCulture, out var perMinute) && perMinute >= 1)
                {
                    Scheduler.AnnouncesPerMinute = perMinute;
                }
                else
                {
                    LogBadSetting(_logger, AnnouncesPerMinuteSetting, budget);
                }
            }

            var targets = _targets.Compute();
            Scheduler.SetTargets(targets);
            var lsdKeys = targets.Where(t => t.Kind == AnnounceKind.Community)
                .Concat(targets.Where(t => t.Kind != AnnounceKind.Community))
                .Select(t => t.Key).Take(MaxLsdKeys).ToList();
            lock (_lsd)
            {
                foreach (var lsd in _lsd)
                {
                    lsd.SetInfoHashes(lsdKeys);
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or Microsoft.Data.Sqlite.SqliteException)
        {
            LogRefreshFailed(_logger, e);
        }
    }

    private void StartDht()
    {
        var address = _seeding.Listener!.LocalEndPoint.Address;
        var port = _options.DhtPort ?? _listenPort;
        UdpDhtSocket socket;
        try
        {
            socket = new UdpDhtSocket(new IPEndPoint(address, port));
        }
        catch (SocketException e)
        {
            LogDhtBindFailed(_logger, new IPEndPoint(address, port), e.SocketErrorCode);
            return;
        }

        var path = Path.Combine(_options.DataFolder, RoutingTableFileName);
        if (File.Exists(path))
        {
            if (DhtNodeState.TryLoad(path, out var state, out var error))
            {
                _saved = state;
            }
            else
            {
                LogRoutingTableUnreadable(_logger, path, error);
            }
        }

        // BEP 42 ties an id to the external address, which a box behind NAT learns only from other nodes' replies;
        // until then a random id (kept between runs, with the table) is what libtorrent and others accept.
        var id = _saved?.Id ?? NodeId.Random();
        var restored = _saved?.Nodes.Count ?? 0;
        Dht = new DhtNode(socket, id, _clock, DhtNodeOptions.Default, logger: _loggers.CreateLogger<DhtNode>());
        var idHex = id.ToString();
        var bootstrap = _options.DhtBootstrap is { Count: 0 } ? "none" : string.Join(' ', _options.DhtBootstrap ?? NodeOptions.DefaultDhtBootstrap);
        LogDhtStarted(_logger, socket.LocalEndPoint, idHex, restored, bootstrap);
    }

    private async Task BootstrapAsync(DhtNode dht, CancellationToken token)
    {
        var endpoints = new List<IPEndPoint>();
        foreach (var entry in _options.DhtBootstrap ?? NodeOptions.DefaultDhtBootstrap)
        {
            if (await ResolveAsync(entry, dht.EndPoint.AddressFamily, token).ConfigureAwait(false) is { } endpoint)
            {
                endpoints.Add(endpoint);
            }
        }

        if (endpoints.Count == 0 && _saved is null)
        {
            return;
        }

        try
        {
            // A ping first: its answer makes the node good at once, even when its find_node answer carries no
            // nodes (an isolated node that others join through knows nobody yet).
            await PingAllAsync(dht, endpoints.Concat(_saved?.Nodes.Select(n => n.EndPoint) ?? []), token).ConfigureAwait(false);
            var result = _saved is { } saved
                ? await dht.RejoinAsync(saved, endpoints, token).ConfigureAwait(false)
                : await dht.BootstrapAsync(endpoints.Distinct(), token).ConfigureAwait(false);
            var good = GoodNodes(dht);
            LogBootstrapped(_logger, endpoints.Count + (_saved?.Nodes.Count ?? 0), result.Closest.Count, good);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // Stopping.
        }
    }

    /// <summary>Pings every endpoint at once; an answer puts the node in the routing table as good.</summary>
    private static async Task PingAllAsync(DhtNode dht, IEnumerable<IPEndPoint> endpoints, CancellationToken token) =>
        await Task.WhenAll(endpoints.Distinct().Select(async endpoint =>
        {
            try
            {
                await dht.PingAsync(endpoint, token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TimeoutException or DhtQueryException)
            {
                // Silent or refusing: the lookup that follows does without it.
            }
        })).ConfigureAwait(false);

    private async Task<IPEndPoint?> ResolveAsync(string entry, AddressFamily family, CancellationToken token)
    {
        if (IPEndPoint.TryParse(entry, out var literal) && literal.Port != 0)
        {
            return literal;
        }

        var colon = entry.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(entry.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            LogBadBootstrap(_logger, entry, "not HOST:PORT");
            return null;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(token);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            var addresses = await Dns.GetHostAddressesAsync(entry[..colon], timeout.Token).ConfigureAwait(false);
            var address = addresses.FirstOrDefault(a => a.AddressFamily == family)
                ?? (family == AddressFamily.InterNetworkV6 ? addresses.FirstOrDefault()?.MapToIPv6() : null);
            return address is null ? null : new IPEndPoint(address, port);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !token.IsCancellationRequested)
        {
            LogBadBootstrap(_logger, entry, e.Message);
            return null;
        }
    }

    private async Task AnnounceAsync(DhtNode dht, AnnounceTarget target, CancellationToken token)
    {
        var success = false;
        try
        {
            var key = new NodeId(target.Key.ToArray());
            var (lookup, stored) = await dht.AnnounceAsync(key, _listenPort, cancellationToken: token).ConfigureAwait(false);
            success = stored > 0;
            foreach (var peer in lookup.Peers.Concat(await PeersStoredHereAsync(dht, key, token).ConfigureAwait(false)))
            {
                if (!IsSelf(peer))
                {
                    KnownPeers.Add(target.Key, peer, PeerSource.Dht);
                }
            }

            LogAnnounced(_logger, target.Kind, target.Label, stored, lookup.Peers.Count);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            // Stopping.
        }
        catch (Exception e) when (e is TimeoutException or DhtQueryException or SocketException)
        {
            LogAnnounceFailed(_logger, target.Label, e.Message);
        }
        finally
        {
            Scheduler.Completed(target.Key, success);
        }
    }

    // A lookup never asks our own node, yet peers that announced a key close to our id announced it to us: in a
    // small network (two boxes in one house) that is where the other box is. One get_peers to ourselves finds them.
    private static async Task<IReadOnlyList<IPEndPoint>> PeersStoredHereAsync(DhtNode dht, NodeId key, CancellationToken token)
    {
        var self = dht.EndPoint;
        if (self.Address.Equals(IPAddress.Any))
        {
            self = new IPEndPoint(IPAddress.Loopback, self.Port);
        }
        else if (self.Address.Equals(IPAddress.IPv6Any))
        {
            self = new IPEndPoint(IPAddress.IPv6Loopback, self.Port);
        }

        try
        {
            return (await dht.GetPeersAsync(self, key, cancellationToken: token).ConfigureAwait(false)).Values;
        }
        catch (Exception e) when (e is TimeoutException or DhtQueryException)
        {
            return [];
        }
    }

    private async Task PutFeedHeadsAsync(DhtNode dht, DateTimeOffset now, CancellationToken token)
    {
        IReadOnlyList<FeedHead> heads;
        try
        {
            heads = _targets.FeedHeads();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or Microsoft.Data.Sqlite.SqliteException)
        {
            LogRefreshFailed(_logger, e);
            return;
        }

        foreach (var head in heads)
        {
            if (_feedPuts.TryGetValue(head.AuthorHex, out var last) && last.Post == head.Post && last.Due > now)
            {
                continue;
            }

            if (!_keys.TryLoad(head.AuthorHex, out var key) || key is null)
            {
                continue;
            }

            var stored = 0;
            try
            {
                // seq = the post's created time: it grows with every newer post, across restarts, with no state to keep;
                // re-putting the same head is the same seq and value, which only refreshes storers (BEP 44).
                var result = await dht.PutMutableItemAsync(
                    key, Encoding.ASCII.GetBytes(FeedSalt), TorrentPointer.Encode(head.Post.ToArray()), head.Created, cancellationToken: token).ConfigureAwait(false);
                stored = result.Stored;
                var post = head.Post.ToHex();
                LogFeedPut(_logger, head.AuthorHex, post, result.Stored, result.Asked);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (Exception e) when (e is TimeoutException or DhtQueryException or ArgumentException)
            {
                LogAnnounceFailed(_logger, "feed head of " + head.AuthorHex, e.Message);
            }

            if (stored > 0)
            {
                Interlocked.Increment(ref _feedPutsStored);
            }

            _feedPuts[head.AuthorHex] = (head.Post, _clock.GetUtcNow() + (stored > 0 ? _options.DhtRepublishInterval : _options.DhtRetryAfterFailure));
        }
    }

    private void StartLsd()
    {
        var keys = Scheduler.Targets.OrderBy(t => t.Kind == AnnounceKind.Community ? 0 : 1).Select(t => t.Key).Take(MaxLsdKeys).ToList();
        foreach (var family in new[] { AddressFamily.InterNetwork, AddressFamily.InterNetworkV6 })
        {
            ILsdTransport transport;
            try
            {
                transport = _lsdTransports is not null ? _lsdTransports(family) : new UdpMulticastLsdTransport(family, _options.LsdPort);
            }
            catch (Exception e) when (e is SocketException or PlatformNotSupportedException)
            {
                LogLsdUnavailable(_logger, family, e.Message);
                continue;
            }

            var lsdOptions = new LsdOptions
            {
                AnnounceInterval = _options.LsdAnnounceInterval,
                MinSendInterval = _options.LsdAnnounceInterval < TimeSpan.FromMinutes(1) ? _options.LsdAnnounceInterval : TimeSpan.FromMinutes(1),
            };
            var lsd = new LocalServiceDiscovery(transport, _listenPort, keys, _clock, lsdOptions, logger: _loggers.CreateLogger<LocalServiceDiscovery>());
            lock (_lsd)
            {
                _lsd.Add(lsd);
            }

            lsd.Start();
            _lsdReaders.Add(ReadLsdPeersAsync(lsd));
            LogLsdStarted(_logger, transport.Host, keys.Count);
        }
    }

    private async Task ReadLsdPeersAsync(LocalServiceDiscovery lsd)
    {
        await foreach (var peer in lsd.Peers.ReadAllAsync().ConfigureAwait(false))
        {
            if (!IsSelf(peer.EndPoint))
            {
                KnownPeers.Add(peer.InfoHash, peer.EndPoint, PeerSource.Lsd);
            }
        }
    }

    private void CollectLocalAddresses()
    {
        _localAddresses.Add(IPAddress.Loopback);
        _localAddresses.Add(IPAddress.IPv6Loopback);
        _localAddresses.Add(_seeding.Listener!.LocalEndPoint.Address);
        try
        {
            foreach (var address in NetworkInterface.GetAllNetworkInterfaces().SelectMany(n => n.GetIPProperties().UnicastAddresses))
            {
                _localAddresses.Add(address.Address);
            }
        }
        catch (NetworkInformationException)
        {
            // Without the interface list only the loopback and listen addresses count as ours.
        }
    }

    // Our own announce comes back in lookups (and two nodes on one box differ by port), so a peer is us only when it
    // names our port at one of our addresses.
    private bool IsSelf(IPEndPoint peer)
    {
        var address = peer.Address.IsIPv4MappedToIPv6 ? peer.Address.MapToIPv4() : peer.Address;
        return peer.Port == _listenPort && (_localAddresses.Contains(address) || IPAddress.IsLoopback(address) && _localAddresses.Any(IPAddress.IsLoopback));
    }

    private async ValueTask ShutdownAsync()
    {
        if (Interlocked.Exchange(ref _shutdown, 1) != 0)
        {
            return;
        }

        LocalServiceDiscovery[] lsd;
        lock (_lsd)
        {
            lsd = [.. _lsd];
            _lsd.Clear();
        }

        foreach (var each in lsd)
        {
            await each.DisposeAsync().ConfigureAwait(false);
        }

        await Task.WhenAll(_lsdReaders).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (Dht is { } dht)
        {
            SaveRoutingTable(dht);
            await dht.DisposeAsync().ConfigureAwait(false);
            await Task.WhenAll(_announces.Keys.Append(_feedPut ?? Task.CompletedTask).Append(_bootstrap ?? Task.CompletedTask))
                .ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private void SaveRoutingTable(DhtNode dht)
    {
        var path = Path.Combine(_options.DataFolder, RoutingTableFileName);
        try
        {
            var state = dht.GetState();
            if (state.Nodes.Count == 0 && _saved is not null)
            {
                // Never trade a saved table for an empty one (a restart before the rejoin finished).
                return;
            }

            state.Save(path);
            LogRoutingTableSaved(_logger, state.Nodes.Count, path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ObjectDisposedException)
        {
            LogRoutingTableSaveFailed(_logger, path, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "DHT on udp {EndPoint}, id {Id}, {Restored} nodes restored, bootstrap: {Bootstrap}")]
    private static partial void LogDhtStarted(ILogger logger, IPEndPoint endPoint, string id, int restored, string bootstrap);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DHT: cannot bind udp {EndPoint} ({Error}); the node runs without the DHT")]
    private static partial void LogDhtBindFailed(ILogger logger, IPEndPoint endPoint, SocketError error);

    [LoggerMessage(Level = LogLevel.Information, Message = "DHT: bootstrapped through {Count} node(s): {Closest} closest answered, {Good} good nodes")]
    private static partial void LogBootstrapped(ILogger logger, int count, int closest, int good);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DHT bootstrap node '{Entry}' skipped: {Reason}")]
    private static partial void LogBadBootstrap(ILogger logger, string entry, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "DHT: announced {Kind} {Label} to {Stored} node(s), {Peers} peer(s) found")]
    private static partial void LogAnnounced(ILogger logger, AnnounceKind kind, string label, int stored, int peers);

    [LoggerMessage(Level = LogLevel.Debug, Message = "DHT: {Label} failed: {Reason}")]
    private static partial void LogAnnounceFailed(ILogger logger, string label, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "DHT: feed head of {Author} = {Post}, stored on {Stored} of {Asked} node(s)")]
    private static partial void LogFeedPut(ILogger logger, string author, string post, int stored, int asked);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Setting {Key} = '{Value}' is not a whole number of at least 1; kept the current budget")]
    private static partial void LogBadSetting(ILogger logger, string key, string value);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discovery: reading the swarm keys failed")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DHT routing table {Path} not restored: {Reason}")]
    private static partial void LogRoutingTableUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "DHT routing table saved: {Count} nodes in {Path}")]
    private static partial void LogRoutingTableSaved(ILogger logger, int count, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DHT routing table {Path} not saved: {Reason}")]
    private static partial void LogRoutingTableSaveFailed(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "LSD on {Family} unavailable ({Reason}); the node runs without it")]
    private static partial void LogLsdUnavailable(ILogger logger, AddressFamily family, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "LSD on {Group} for {Count} swarm key(s)")]
    private static partial void LogLsdStarted(ILogger logger, string group, int count);
}

/// <summary>Discovery as /healthz reports it.</summary>
public sealed record DiscoveryStatus(DhtStatus? Dht, LsdStatus? Lsd, int KnownSwarms, int KnownPeers);

/// <summary>The DHT part of <see cref="DiscoveryStatus"/>.</summary>
public sealed record DhtStatus(
    bool Running,
    int? Port,
    string? NodeId,
    int Nodes,
    long Announces,
    long AnnouncesStarted,
    long AnnouncesFailed,
    int ItemsStored,
    int SwarmKeys,
    int SustainableKeys,
    int AnnouncesPerMinute,
    long FeedPuts);

/// <summary>The LSD part of <see cref="DiscoveryStatus"/>.</summary>
public sealed record LsdStatus(bool Running, int Groups, long AnnouncesSent, long PeersFound);
