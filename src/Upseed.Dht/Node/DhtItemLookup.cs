namespace Upseed.Dht.Node;

/// <summary>The outcome of an iterative BEP 44 get.</summary>
/// <typeparam name="TItem">The item type: an immutable or a mutable item.</typeparam>
/// <param name="Item">The item found (for a mutable item, the highest seq whose signature verifies); null when none.</param>
/// <param name="Copies">How many responders returned a valid copy (of any seq).</param>
/// <param name="Lookup">The lookup: closest nodes with their write tokens, hops and messages.</param>
public sealed record DhtItemLookup<TItem>(TItem? Item, int Copies, DhtLookupResult Lookup)
    where TItem : class;
