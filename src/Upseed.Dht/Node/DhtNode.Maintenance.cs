using System.Net;
using Upseed.Dht.Routing;

namespace Upseed.Dht.Node;

/// <summary>Routing-table upkeep (BEP 5: refresh, questionable and bad nodes) and persistence between runs.</summary>
public sealed partial class DhtNode
{
    /// <summary>
    /// One round of BEP 5 upkeep: pings the questionable nodes (silent for 15 minutes), least recently seen first, so
    /// they become good again or, after repeated silence, bad and replaceable; then refreshes each bucket unchanged for
    /// 15 minutes with a find_node lookup of a random id in its range. The node runs this every
    /// <see cref="DhtNodeOptions.MaintenanceInterval"/>; call it directly to drive it from a test or a scheduler.
    /// </summary>
    /// <param name="cancellationToken">Cancels the round.</param>
    /// <returns>What was done.</returns>
    public async Task<DhtMaintenanceResult> RunMaintenanceAsync(CancellationToken cancellationToken = default)
    {
        List<IPEndPoint> questionable;
        List<NodeId> refreshTargets;
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            var table = RoutingTable;
            questionable = [.. table.Buckets
                .SelectMany(b => b.Nodes)
                .Where(n => n.GetState(now, table.Options) == NodeState.Questionable)
                .OrderBy(n => n.LastSeen)
                .Take(_options.MaxMaintenancePings)
                .Select(n => n.EndPoint)];
            refreshTargets = [];
            foreach (var refresh in table.BucketsNeedingRefresh(now).Take(_options.MaxBucketRefreshes))
            {
                // Counted as changed now, so a bucket whose range holds nobody is not looked up every round.
                refresh.Bucket.LastChanged = now;
                refreshTargets.Add(refresh.Target);
            }
        }

        var answers = await Task.WhenAll(questionable.Select(async endPoint =>
        {
            try
            {
                await PingAsync(endPoint, cancellationToken);
                return 1;
            }
            catch (Exception e) when (e is TimeoutException or DhtQueryException)
            {
                // The timeout path already counted the failure in the routing table.
                return 0;
            }
        }));

        foreach (var target in refreshTargets)
        {
            await FindClosestAsync(target, cancellationToken);
        }

        return new DhtMaintenanceResult(questionable.Count, answers.Sum(), refreshTargets.Count, GetRoutingTableCounts());
    }

    /// <summary>Our id, the routing table's nodes and our external address, taken under the node's lock.</summary>
    /// <returns>The state to save.</returns>
    public DhtNodeState GetState()
    {
        lock (_gate)
        {
            var snapshot = RoutingTable.ToSnapshot();
            return new DhtNodeState(_id, snapshot.Nodes, _externalAddress);
        }
    }

    /// <summary>Saves <see cref="GetState"/> to a file (atomically), for <see cref="RejoinAsync"/> on the next run.</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="IOException">The file could not be written.</exception>
    public void SaveState(string path) => GetState().Save(path);

    /// <summary>
    /// Rejoins the network from a saved state without bootstrap routers: the saved nodes enter the routing table as
    /// questionable, then each is asked find_node for our id (answers make them good) and an iterative lookup of our
    /// id follows, as in <see cref="BootstrapAsync"/>. Start the node with <see cref="DhtNodeState.Id"/> so the
    /// neighbourhood still knows it. Extra bootstrap endpoints, if given, are asked as well.
    /// </summary>
    /// <param name="state">The saved state.</param>
    /// <param name="bootstrap">More endpoints to ask (e.g. routers, in case every saved node is gone); may be empty.</param>
    /// <param name="cancellationToken">Cancels the rejoin.</param>
    /// <returns>The lookup of our own id; its <see cref="DhtLookupResult.Closest"/> is empty when nobody answered.</returns>
    public Task<DhtLookupResult> RejoinAsync(
        DhtNodeState state, IEnumerable<IPEndPoint>? bootstrap = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(state);
        lock (_gate)
        {
            RoutingTable.Restore(new RoutingTableSnapshot(_id, state.Nodes));
        }

        return BootstrapAsync(state.Nodes.Select(n => n.EndPoint).Concat(bootstrap ?? []).Distinct(), cancellationToken);
    }

    private async Task MaintenanceLoopAsync()
    {
        var interval = _options.MaintenanceInterval;
        if (interval <= TimeSpan.Zero || interval == Timeout.InfiniteTimeSpan)
        {
            return;
        }

        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, _clock, _stop.Token);
                await RunMaintenanceAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A failed round costs that round, never the node; the next one starts afresh.
                LogMaintenanceFailed(e.Message);
            }
        }
    }

    [Microsoft.Extensions.Logging.LoggerMessage(
        Level = Microsoft.Extensions.Logging.LogLevel.Warning, Message = "DHT maintenance round failed: {Reason}")]
    private partial void LogMaintenanceFailed(string reason);
}
