using Upseed.Metainfo;

namespace Upseed.Store;

/// <summary>Where a seeder observation comes from.</summary>
public enum SeederSource
{
    /// <summary>A connected peer's bitfield (or have messages) shows the whole record. Count 1 per peer.</summary>
    Peer,
    /// <summary>A DHT scrape (BEP 33) estimate of the swarm's seeds. One observation per record, peer "" and count = the estimate.</summary>
    Dht,
    /// <summary>A sync peer holds the record. Count 1 per peer.</summary>
    Sync,
}

/// <summary>
/// "<paramref name="Peer"/> seeds <paramref name="Record"/>", seen now through <paramref name="Source"/>. Peer and sync
/// observations are merged by <paramref name="Peer"/>, so callers name a node the same way on both paths (its node
/// key in hex when known, else "ip:port"). A count of 0 says the peer no longer has it.
/// </summary>
public readonly record struct SeederObservation(InfoHash Record, SeederSource Source, string Peer, int Count = 1);
