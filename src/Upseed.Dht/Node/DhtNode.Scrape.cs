namespace Upseed.Dht.Node;

/// <summary>BEP 33 DHT scrape: the client side (the storer's answer is in get_peers).</summary>
public sealed partial class DhtNode
{
    /// <summary>
    /// Estimates how many seeds and downloaders an info-hash has (BEP 33): an iterative get_peers with
    /// <c>scrape=1</c>, ORing together the <c>BFsd</c> and <c>BFpe</c> filters of the K closest nodes that answered.
    /// ORing counts each IP once however many nodes stored it.
    /// </summary>
    /// <param name="infoHash">The info-hash.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The estimates, the merged filters and the lookup.</returns>
    public async Task<DhtScrapeResult> ScrapeAsync(NodeId infoHash, CancellationToken cancellationToken = default)
    {
        var filters = new Dictionary<NodeId, (ReadOnlyMemory<byte> Seeds, ReadOnlyMemory<byte> Peers)>();
        var lookup = await LookupCoreAsync(
            infoHash,
            (to, ct) => GetPeersAsync(to, infoHash, scrape: true, cancellationToken: ct),
            (node, response) =>
            {
                if (response.SeedsFilter.Length == ScrapeBloomFilter.Size && response.PeersFilter.Length == ScrapeBloomFilter.Size)
                {
                    filters[node.Id] = (response.SeedsFilter, response.PeersFilter);
                }

                return response.Values.Count > 0 ? LookupSignal.Found : LookupSignal.Continue;
            },
            [],
            cancellationToken);

        var seeds = new ScrapeBloomFilter();
        var peers = new ScrapeBloomFilter();
        var responders = 0;
        foreach (var closest in lookup.Closest)
        {
            if (filters.TryGetValue(closest.Node.Id, out var pair))
            {
                seeds.Union(new ScrapeBloomFilter(pair.Seeds.Span));
                peers.Union(new ScrapeBloomFilter(pair.Peers.Span));
                responders++;
            }
        }

        return new DhtScrapeResult(infoHash, seeds.EstimateCount(), peers.EstimateCount(), seeds, peers, responders, lookup);
    }
}
