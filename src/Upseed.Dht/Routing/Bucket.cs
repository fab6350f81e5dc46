namespace Upseed.Dht.Routing;

/// <summary>
/// A k-bucket (BEP 5): the ids sharing the first <see cref="PrefixLength"/> bits of <see cref="Prefix"/>, at most K
/// live nodes, plus a small cache of newcomers waiting for a slot. Mutated only by its <see cref="RoutingTable"/>.
/// </summary>
public sealed class Bucket
{
    private readonly List<DhtNode> _nodes = [];
    private readonly List<DhtNode> _replacements = [];

    internal Bucket(NodeId prefix, int prefixLength, bool containsOwnId, DateTimeOffset lastChanged)
    {
        Prefix = prefix;
        PrefixLength = prefixLength;
        ContainsOwnId = containsOwnId;
        LastChanged = lastChanged;
    }

    /// <summary>An id whose first <see cref="PrefixLength"/> bits define the range; the bits after them mean nothing.</summary>
    public NodeId Prefix { get; }

    /// <summary>How many leading bits every id in the bucket shares with <see cref="Prefix"/> (0 = the whole id space).</summary>
    public int PrefixLength { get; }

    /// <summary>Whether our own id falls in this bucket's range: the only bucket that may split (BEP 5).</summary>
    public bool ContainsOwnId { get; }

    /// <summary>
    /// Last time a node was added or replaced here, or one of its nodes answered a query (BEP 5 "last changed").
    /// </summary>
    public DateTimeOffset LastChanged { get; internal set; }

    public IReadOnlyList<DhtNode> Nodes => _nodes;

    /// <summary>Newcomers that found the bucket full, oldest first.</summary>
    public IReadOnlyList<DhtNode> Replacements => _replacements;

    internal List<DhtNode> NodeList => _nodes;

    internal List<DhtNode> ReplacementList => _replacements;

    /// <summary>Whether <paramref name="id"/> falls in this bucket's range.</summary>
    public bool Contains(NodeId id) => PrefixLength == 0 || Prefix.CommonPrefixLength(id) >= PrefixLength;

    /// <summary>A uniformly random id in this bucket's range, the target of a refreshing find_node.</summary>
    public NodeId RandomIdInRange() => NodeIdBits.RandomWithPrefix(Prefix, PrefixLength);

    internal DhtNode? Find(NodeId id)
    {
        foreach (var node in _nodes)
        {
            if (node.Id == id)
            {
                return node;
            }
        }

        return null;
    }

    internal DhtNode? FindReplacement(NodeId id)
    {
        foreach (var node in _replacements)
        {
            if (node.Id == id)
            {
                return node;
            }
        }

        return null;
    }

    public override string ToString() => $"{Prefix}/{PrefixLength} ({_nodes.Count} nodes)";
}
