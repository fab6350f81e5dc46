using System.Net;
using Upseed.Dht.Routing;

namespace Upseed.Dht.Node;

/// <summary>BEP 42: learning our external address from responses, deriving our id from it, enforcing others' ids.</summary>
public sealed partial class DhtNode
{
    // Votes are the last address each responder (by IP) reported, at most this many responders, oldest dropped first.
    private const int MaxVoters = 64;

    private readonly Dictionary<IPAddress, IPAddress> _votes = [];
    private readonly Queue<IPAddress> _voters = new();
    private IPAddress? _externalAddress;

    /// <summary>
    /// Gets our external address as voted by responders (the BEP 42 / BEP 5 <c>ip</c> key): the address most
    /// responders reported, among the last 64 responders. Null until a responder reported one.
    /// </summary>
    public IPAddress? ExternalAddress
    {
        get
        {
            lock (_gate)
            {
                return _externalAddress;
            }
        }
    }

    /// <summary>Gets how many distinct responders currently back <see cref="ExternalAddress"/>.</summary>
    public int ExternalAddressVotes
    {
        get
        {
            lock (_gate)
            {
                return _externalAddress is null ? 0 : _votes.Values.Count(a => a.Equals(_externalAddress));
            }
        }
    }

    /// <summary>Totals of the routing table (good, questionable, bad nodes, buckets), read under the node's lock.</summary>
    /// <returns>The counts.</returns>
    public RoutingTableCounts GetRoutingTableCounts()
    {
        lock (_gate)
        {
            return RoutingTable.GetCounts();
        }
    }

    private bool IsAcceptableId(NodeId id, IPEndPoint from) =>
        !_options.EnforceNodeIdRestriction || NodeIdRestriction.IsValid(id, from.Address);

    private void VoteExternalAddress(IPAddress voter, IPAddress reported)
    {
        if (reported.IsIPv4MappedToIPv6)
        {
            reported = reported.MapToIPv4();
        }

        NodeId? newId = null;
        lock (_gate)
        {
            if (!_votes.ContainsKey(voter))
            {
                _voters.Enqueue(voter);
                if (_voters.Count > MaxVoters)
                {
                    _votes.Remove(_voters.Dequeue());
                }
            }

            _votes[voter] = reported;
            var (leader, count) = _votes.Values.GroupBy(a => a).Select(g => (g.Key, g.Count())).MaxBy(g => g.Item2);
            _externalAddress = leader;
            if (_options.DeriveIdFromExternalAddress
                && count >= _options.ExternalAddressMinVotes
                && !NodeIdRestriction.IsExempt(leader)
                && !NodeIdRestriction.IsValid(_id, leader))
            {
                newId = NodeIdRestriction.CreateRandom(leader);
                ChangeIdLocked(newId.Value);
            }
        }

        if (newId is { } id)
        {
            LogIdChanged(id, reported);

            // Tell the neighbourhood of the new id about us, as a join does.
            _ = Task.Run(async () =>
            {
                try
                {
                    await FindClosestAsync(id, _stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
                {
                    // Stopping.
                }
            });
        }
    }

    private void ChangeIdLocked(NodeId newId)
    {
        var previous = RoutingTable;
        var table = new RoutingTable(newId, _clock, previous.Options);
        table.Adopt(previous);
        _id = newId;
        RoutingTable = table;
    }

    [Microsoft.Extensions.Logging.LoggerMessage(
        Level = Microsoft.Extensions.Logging.LogLevel.Information, Message = "DHT node id is now {Id} (BEP 42, external address {Address})")]
    private partial void LogIdChanged(NodeId id, IPAddress address);
}
