namespace Upseed.Dht.Node;

/// <summary>The outcome of a BEP 33 DHT scrape: the union of the closest nodes' Bloom filters and their estimates.</summary>
/// <param name="InfoHash">The info-hash scraped.</param>
/// <param name="Seeds">Estimated distinct seeds (from the union of <c>BFsd</c>).</param>
/// <param name="Peers">Estimated distinct downloaders that are not seeds (from the union of <c>BFpe</c>).</param>
/// <param name="SeedsFilter">The merged seeds filter (256 bytes).</param>
/// <param name="PeersFilter">The merged peers filter (256 bytes).</param>
/// <param name="Responders">How many of the closest nodes returned filters.</param>
/// <param name="Lookup">The get_peers lookup (peers found, closest nodes, hops, messages).</param>
public sealed record DhtScrapeResult(
    NodeId InfoHash,
    double Seeds,
    double Peers,
    ScrapeBloomFilter SeedsFilter,
    ScrapeBloomFilter PeersFilter,
    int Responders,
    DhtLookupResult Lookup);
