using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Upseed.Dht.Routing;

/// <summary>
/// The Kademlia routing table of BEP 5: buckets of at most K nodes keyed by XOR distance from our id, where only the
/// bucket holding our own id splits. It does no I/O: when a full bucket holds questionable nodes it returns
/// <see cref="InsertOutcome.PingFirst"/> and the caller pings. Not thread-safe: one DHT loop owns it.
/// </summary>
public sealed class RoutingTable
{
    /// <summary>One bucket per bit of the id at most: the last possible split leaves a bucket holding one id (BEP 5).</summary>
    public const int MaxBuckets = NodeId.Size * 8;

    private readonly TimeProvider _clock;
    private readonly List<Bucket> _buckets = [];

    public RoutingTable(NodeId ownId, TimeProvider clock, RoutingTableOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        OwnId = ownId;
        _clock = clock;
        Options = options ?? RoutingTableOptions.Default;
        if (Options.BucketSize < 1 || Options.MaxConsecutiveFailures < 1 || Options.MaxReplacements < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "BucketSize and MaxConsecutiveFailures must be positive.");
        }

        // BEP 5: "An empty table has one bucket with an ID space range of min=0, max=2^160."
        _buckets.Add(new Bucket(ownId, 0, containsOwnId: true, clock.GetUtcNow()));
    }

    public NodeId OwnId { get; }

    public RoutingTableOptions Options { get; }

    /// <summary>Buckets from the farthest (shortest shared prefix) to the one holding our own id.</summary>
    public IReadOnlyList<Bucket> Buckets => _buckets;

    /// <summary>
    /// Records any message from a node: a response to our query (<paramref name="isResponse"/>) or a query to us.
    /// Inserts the node when it is new and there is room, following BEP 5. A message carrying <c>ro=1</c>
    /// (<paramref name="readOnly"/>) is ignored: BEP 43 read-only nodes never enter the table.
    /// </summary>
    public InsertResult Seen(NodeId id, IPEndPoint endPoint, bool isResponse, bool readOnly = false)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var now = _clock.GetUtcNow();
        return Insert(id, endPoint, now, readOnly, node =>
        {
            node.LastSeen = now;
            if (isResponse)
            {
                node.LastResponse = now;
                node.ConsecutiveFailures = 0;
            }
            else
            {
                node.LastQuery = now;
            }
        }, isResponse);
    }

    /// <summary>
    /// Records that a node did not answer one of our queries. Once it is bad (after
    /// <see cref="RoutingTableOptions.MaxConsecutiveFailures"/> failures in a row) it is replaced by the newest waiting
    /// newcomer, if any; otherwise it stays until a newcomer takes its slot.
    /// </summary>
    public InsertResult Failed(NodeId id)
    {
        var now = _clock.GetUtcNow();
        var bucket = BucketFor(id);
        var node = bucket.Find(id);
        if (node is null)
        {
            var waiting = bucket.FindReplacement(id);
            if (waiting is null)
            {
                return InsertResult.Ignored("unknown node");
            }

            // A newcomer that does not answer is not worth a slot.
            bucket.ReplacementList.Remove(waiting);
            return InsertResult.Updated(waiting);
        }

        node.ConsecutiveFailures++;
        if (node.GetState(now, Options) != NodeState.Bad || bucket.ReplacementList.Count == 0)
        {
            return InsertResult.Updated(node);
        }

        var replacement = bucket.ReplacementList[^1];
        bucket.ReplacementList.RemoveAt(bucket.ReplacementList.Count - 1);
        bucket.NodeList[bucket.NodeList.IndexOf(node)] = replacement;
        bucket.LastChanged = now;
        return InsertResult.Replaced(replacement);
    }

    /// <summary>Up to <paramref name="count"/> good nodes closest to <paramref name="target"/> by XOR distance, nearest first.</summary>
    public IReadOnlyList<DhtNode> Closest(NodeId target, int count)
    {
        if (count <= 0)
        {
            return [];
        }

        var now = _clock.GetUtcNow();
        var good = new List<DhtNode>();
        foreach (var bucket in _buckets)
        {
            foreach (var node in bucket.NodeList)
            {
                if (node.GetState(now, Options) == NodeState.Good)
                {
                    good.Add(node);
                }
            }
        }

        good.Sort((x, y) => x.Id.Xor(target).CompareTo(y.Id.Xor(target)));
        if (good.Count > count)
        {
            good.RemoveRange(count, good.Count - count);
        }

        return good;
    }

    /// <summary>
    /// Buckets unchanged for <see cref="RoutingTableOptions.RefreshInterval"/>, each with a random id in its range to
    /// look up (BEP 5: "refreshed ... by picking a random ID in the range of the bucket and performing a find_nodes").
    /// </summary>
    public IReadOnlyList<BucketRefresh> BucketsNeedingRefresh(DateTimeOffset now)
    {
        var stale = new List<BucketRefresh>();
        foreach (var bucket in _buckets)
        {
            if (now - bucket.LastChanged >= Options.RefreshInterval)
            {
                stale.Add(new BucketRefresh(bucket, bucket.RandomIdInRange()));
            }
        }

        return stale;
    }

    /// <summary>Whether the node is in a bucket (not counting waiting newcomers).</summary>
    public bool TryGetNode(NodeId id, [NotNullWhen(true)] out DhtNode? node)
    {
        node = BucketFor(id).Find(id);
        return node is not null;
    }

    /// <summary>Totals for the admin page.</summary>
    public RoutingTableCounts GetCounts()
    {
        var now = _clock.GetUtcNow();
        int nodes = 0, good = 0, questionable = 0, bad = 0, replacements = 0;
        foreach (var bucket in _buckets)
        {
            replacements += bucket.ReplacementList.Count;
            foreach (var node in bucket.NodeList)
            {
                nodes++;
                switch (node.GetState(now, Options))
                {
                    case NodeState.Good:
                        good++;
                        break;
                    case NodeState.Questionable:
                        questionable++;
                        break;
                    default:
                        bad++;
                        break;
                }
            }
        }

        return new RoutingTableCounts(nodes, good, questionable, bad, _buckets.Count, replacements);
    }

    /// <summary>Our id and every node in a bucket, for saving between runs.</summary>
    public RoutingTableSnapshot ToSnapshot()
    {
        var contacts = new List<NodeContact>();
        foreach (var bucket in _buckets)
        {
            foreach (var node in bucket.NodeList)
            {
                contacts.Add(new NodeContact(node.Id, node.EndPoint));
            }
        }

        return new RoutingTableSnapshot(OwnId, contacts);
    }

    /// <summary>
    /// Inserts the nodes of a saved table as questionable (they have not answered in this run), so the first
    /// lookups and pings sort out which are still alive. Returns how many were added.
    /// </summary>
    public int Restore(RoutingTableSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var now = _clock.GetUtcNow();
        var added = 0;
        foreach (var contact in snapshot.Nodes)
        {
            var result = Insert(contact.Id, contact.EndPoint, now, readOnly: false, _ => { }, isResponse: false);
            if (result.Outcome is InsertOutcome.Added or InsertOutcome.Replaced)
            {
                added++;
            }
        }

        return added;
    }

    /// <summary>
    /// Copies every node of another table (ours under a previous id) with its times and failure count, so a node
    /// that changes its id (BEP 42) keeps what it knew. Returns how many found a slot.
    /// </summary>
    internal int Adopt(RoutingTable previous)
    {
        var now = _clock.GetUtcNow();
        var added = 0;
        foreach (var bucket in previous._buckets)
        {
            foreach (var old in bucket.NodeList)
            {
                var result = Insert(old.Id, old.EndPoint, now, readOnly: false, node =>
                {
                    node.LastResponse = old.LastResponse;
                    node.LastQuery = old.LastQuery;
                    node.LastSeen = old.LastSeen;
                    node.ConsecutiveFailures = old.ConsecutiveFailures;
                }, isResponse: false);
                if (result.Outcome is InsertOutcome.Added or InsertOutcome.Replaced)
                {
                    added++;
                }
            }
        }

        return added;
    }

    private Bucket BucketFor(NodeId id) => _buckets[Math.Min(OwnId.CommonPrefixLength(id), _buckets.Count - 1)];

    private InsertResult Insert(NodeId id, IPEndPoint endPoint, DateTimeOffset now, bool readOnly, Action<DhtNode> touch, bool isResponse)
    {
        if (readOnly)
        {
            return InsertResult.Ignored("read-only node (BEP 43)");
        }

        if (id == OwnId)
        {
            return InsertResult.Ignored("our own id");
        }

        if (endPoint.Port == 0)
        {
            return InsertResult.Ignored("port 0");
        }

        var bucket = BucketFor(id);
        var existing = bucket.Find(id) ?? bucket.FindReplacement(id);
        if (existing is not null)
        {
            // An id does not move: a different address is a spoof or a restart, and either way not trusted.
            if (!existing.EndPoint.Equals(endPoint))
            {
                return InsertResult.Ignored("known id from another address");
            }

            touch(existing);
            if (isResponse && bucket.NodeList.Contains(existing))
            {
                bucket.LastChanged = now;

                // BEP 5: "If the pinged node responds then the next least recently seen questionable node is pinged
                // until one fails to respond or all of the nodes in the bucket are known to be good."
                if (bucket.ReplacementList.Count > 0 && LeastRecentlySeenQuestionable(bucket, now) is { } next)
                {
                    return InsertResult.PingFirst(next);
                }
            }

            return InsertResult.Updated(existing);
        }

        var node = new DhtNode(id, endPoint, now);
        touch(node);
        while (true)
        {
            if (bucket.NodeList.Count < Options.BucketSize)
            {
                bucket.NodeList.Add(node);
                bucket.LastChanged = now;
                return InsertResult.Added(node);
            }

            var badIndex = bucket.NodeList.FindIndex(n => n.GetState(now, Options) == NodeState.Bad);
            if (badIndex >= 0)
            {
                bucket.NodeList[badIndex] = node;
                bucket.LastChanged = now;
                return InsertResult.Replaced(node);
            }

            // The own-id bucket splits before anyone is pinged: splitting evicts nobody (libtorrent does the same).
            if (bucket.ContainsOwnId && _buckets.Count < MaxBuckets)
            {
                Split();
                bucket = BucketFor(id);
                continue;
            }

            if (LeastRecentlySeenQuestionable(bucket, now) is { } questionable)
            {
                if (bucket.ReplacementList.Count >= Options.MaxReplacements)
                {
                    if (Options.MaxReplacements == 0)
                    {
                        return InsertResult.PingFirst(questionable);
                    }

                    bucket.ReplacementList.RemoveAt(0);
                }

                bucket.ReplacementList.Add(node);
                return InsertResult.PingFirst(questionable);
            }

            // BEP 5: "When the bucket is full of good nodes, the new node is simply discarded."
            return InsertResult.Dropped("bucket full of good nodes");
        }
    }

    private DhtNode? LeastRecentlySeenQuestionable(Bucket bucket, DateTimeOffset now)
    {
        DhtNode? oldest = null;
        foreach (var node in bucket.NodeList)
        {
            if (node.GetState(now, Options) == NodeState.Questionable && (oldest is null || node.LastSeen < oldest.LastSeen))
            {
                oldest = node;
            }
        }

        return oldest;
    }

    /// <summary>Splits the last bucket (the one holding our id) on its next bit (BEP 5).</summary>
    private void Split()
    {
        var old = _buckets[^1];
        var bit = old.PrefixLength;
        var far = new Bucket(NodeIdBits.FlipBit(OwnId, bit), bit + 1, containsOwnId: false, old.LastChanged);
        var near = new Bucket(OwnId, bit + 1, containsOwnId: true, old.LastChanged);
        var ownBit = NodeIdBits.GetBit(OwnId, bit);
        foreach (var node in old.NodeList)
        {
            (NodeIdBits.GetBit(node.Id, bit) == ownBit ? near : far).NodeList.Add(node);
        }

        foreach (var node in old.ReplacementList)
        {
            (NodeIdBits.GetBit(node.Id, bit) == ownBit ? near : far).ReplacementList.Add(node);
        }

        _buckets[^1] = far;
        _buckets.Add(near);
        Promote(far);
        Promote(near);
    }

    /// <summary>Moves the newest waiting newcomers into free slots, as after a split.</summary>
    private void Promote(Bucket bucket)
    {
        while (bucket.NodeList.Count < Options.BucketSize && bucket.ReplacementList.Count > 0)
        {
            bucket.NodeList.Add(bucket.ReplacementList[^1]);
            bucket.ReplacementList.RemoveAt(bucket.ReplacementList.Count - 1);
        }
    }
}
