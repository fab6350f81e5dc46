using System.Diagnostics;
using System.Net;
using Upseed.Crypto;
using Upseed.Dht.Items;
using Upseed.Dht.Node;
using RoutingTable = Upseed.Dht.Routing.RoutingTable;
using RoutingTableOptions = Upseed.Dht.Routing.RoutingTableOptions;

namespace Upseed.Dht.Tests.Simulation;

/// <summary>The figures of one simulated run.</summary>
internal sealed record DhtSimulationResult(
    int Nodes,
    int Left,
    int Joined,
    int PeerLookups,
    int PeerLookupsFound,
    int ItemLookups,
    int ItemLookupsFound,
    double MedianHops,
    double MeanHops,
    double MedianMessages,
    double MeanMessages,
    TimeSpan Elapsed)
{
    public double SuccessRatio => (PeerLookupsFound + ItemLookupsFound) / (double)(PeerLookups + ItemLookups);

    public override string ToString() =>
        $"N={Nodes} (left {Left}, joined {Joined}), log2(N)={Math.Log2(Nodes):F2}: get_peers {PeerLookupsFound}/{PeerLookups}, " +
        $"item gets {ItemLookupsFound}/{ItemLookups} ({SuccessRatio:P2}); get_peers hops median {MedianHops} mean {MeanHops:F2}, " +
        $"messages median {MedianMessages} mean {MeanMessages:F1}; {Elapsed.TotalSeconds:F1} s";
}

/// <summary>
/// Many real <see cref="DhtNode"/>s in one process on an <see cref="InMemoryDhtNetwork"/> (each node its own 10.x
/// address, so per-IP rate limits and tokens behave as on a LAN). Nodes join through a random live node and refresh
/// their buckets once (what the maintenance timer does within 15 minutes), info-hashes are announced and BEP 44 items
/// put, then a share of the nodes leaves without notice and as many new ones join; finally random live nodes look up
/// every announced hash and item.
/// </summary>
internal sealed class DhtSimulation
{
    private readonly InMemoryDhtNetwork _network = new();
    private readonly List<DhtNode> _live = [];
    private readonly Random _random;
    private readonly DhtNodeOptions _options;
    private int _nextAddress = 1;

    public DhtSimulation(int seed, TimeSpan queryTimeout)
    {
        _random = new Random(seed);
        _options = new DhtNodeOptions
        {
            QueryTimeout = queryTimeout,
            MaintenanceInterval = TimeSpan.Zero, // the simulation drives refresh rounds
            MaxBucketRefreshes = 32,
        };
    }

    public async Task<DhtSimulationResult> RunAsync(int nodeCount, double churn, int announces, int items)
    {
        var stopwatch = Stopwatch.StartNew();
        try
        {
            for (var i = 0; i < nodeCount; i++)
            {
                await JoinAsync();
            }

            await RefreshAllAsync();

            var hashes = new List<NodeId>();
            for (var i = 0; i < announces; i++)
            {
                var hash = NodeId.Random();
                hashes.Add(hash);
                await Pick().AnnounceAsync(hash, 10_000 + i);
            }

            var immutable = new List<NodeId>();
            var mutable = new List<(Ed25519KeyPair Key, byte[] Salt)>();
            for (var i = 0; i < items; i++)
            {
                if (i % 2 == 0)
                {
                    immutable.Add((await Pick().PutImmutableItemAsync(DhtValue.FromString($"post {i}"))).Target);
                }
                else
                {
                    var key = Ed25519.Generate();
                    var salt = "feed"u8.ToArray();
                    await Pick().PutMutableItemAsync(key, salt, TorrentPointer.Encode(NodeId.Random()));
                    mutable.Add((key, salt));
                }
            }

            // Churn: nodes leave without a word (their datagrams are lost from now on) and as many new ones join.
            var leaving = (int)Math.Round(nodeCount * churn);
            for (var i = 0; i < leaving; i++)
            {
                var index = _random.Next(_live.Count);
                var node = _live[index];
                _live.RemoveAt(index);
                await node.DisposeAsync();
            }

            // Newcomers join independently (concurrently): a join that meets departed nodes waits out their timeouts.
            var joining = Enumerable.Range(0, leaving).Select(_ => CreateNode()).ToList();
            var bootstraps = joining.Select(node => node.BootstrapAsync([Pick().EndPoint])).ToList();
            await Task.WhenAll(bootstraps);
            _live.AddRange(joining);

            var peerLookups = hashes.Select(async (hash, i) =>
            {
                var result = await Pick().LookupAsync(hash);
                return (Found: result.Peers.Any(p => p.Port == 10_000 + i), result.Hops, result.MessagesSent);
            }).ToList();
            var itemLookups = immutable.Select(async target => await Pick().GetImmutableItemAsync(target) is not null)
                .Concat(mutable.Select(async m => await Pick().GetMutableItemAsync(m.Key.PublicKey, m.Salt) is not null))
                .ToList();
            var peers = await Task.WhenAll(peerLookups);
            var found = await Task.WhenAll(itemLookups);

            var hops = peers.Where(p => p.Found).Select(p => (double)p.Hops).Order().ToList();
            var messages = peers.Select(p => (double)p.MessagesSent).Order().ToList();
            return new DhtSimulationResult(
                nodeCount,
                leaving,
                leaving,
                peers.Length,
                peers.Count(p => p.Found),
                found.Length,
                found.Count(f => f),
                Median(hops),
                hops.Count == 0 ? 0 : hops.Average(),
                Median(messages),
                messages.Count == 0 ? 0 : messages.Average(),
                stopwatch.Elapsed);
        }
        finally
        {
            foreach (var node in _live)
            {
                await node.DisposeAsync();
            }
        }
    }

    private static double Median(List<double> sorted) =>
        sorted.Count == 0 ? 0 : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    private DhtNode Pick() => _live[_random.Next(_live.Count)];

    private async Task JoinAsync()
    {
        var node = CreateNode();
        if (_live.Count > 0)
        {
            await node.BootstrapAsync([Pick().EndPoint]);
        }

        _live.Add(node);
    }

    private DhtNode CreateNode()
    {
        var n = _nextAddress++;
        var endPoint = new IPEndPoint(new IPAddress([10, (byte)(n >> 16), (byte)(n >> 8), (byte)n]), 6881);
        var id = NodeId.Random();

        // Every bucket counts as stale, so one maintenance round refreshes them all.
        var table = new RoutingTable(id, TimeProvider.System, RoutingTableOptions.Default with { RefreshInterval = TimeSpan.Zero });
        return new DhtNode(_network.Bind(endPoint), id, TimeProvider.System, _options, table);
    }

    private async Task RefreshAllAsync()
    {
        // In batches, so the refresh lookups of different nodes overlap as they would in time.
        foreach (var batch in _live.ToList().Chunk(20))
        {
            await Task.WhenAll(batch.Select(node => node.RunMaintenanceAsync()));
        }
    }
}
