using Upseed.Crypto;
using Upseed.Metainfo;
using Upseed.Records;
using Upseed.Store;

namespace Upseed.Node.Discovery;

/// <summary>
/// What a box announces, read from its store and key folder: its own posts (records authored by an identity whose
/// key is in <c>DATA/keys/</c>, pinned as own), the posts upvoted from it (pins with reason <c>upvote</c>, newest
/// first), and the communities it carries (the configured ones, then those of the records it pins, most pins
/// first). Also each local identity's feed head: its newest own top-level post.
/// </summary>
public sealed class DiscoveryTargets
{
    /// <summary>The seeding policy's setting naming the communities a box carries.</summary>
    public const string CarriedCommunitiesSetting = "policy.communities";

    private static readonly string[] s_ownReasons = [PinReason.Own];
    private static readonly string[] s_upvoteReasons = [PinReason.Upvote];
    private static readonly string[] s_allReasons = [PinReason.Own, PinReason.Upvote, PinReason.Policy, PinReason.Manual];

    private readonly RecordStore _store;
    private readonly KeyDirectory _keys;
    private readonly IReadOnlyList<string> _communities;
    private readonly Dictionary<InfoHash, RecordFacts?> _facts = [];

    /// <param name="store">The store; not owned.</param>
    /// <param name="keys">The data folder's key directory (its identities are "own").</param>
    /// <param name="communities">Communities carried by configuration (<c>--community</c>), announced first among communities.</param>
    public DiscoveryTargets(RecordStore store, KeyDirectory keys, IReadOnlyList<string>? communities = null)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _keys = keys ?? throw new ArgumentNullException(nameof(keys));
        _communities = communities ?? [];
    }

    /// <summary>Most own posts considered, newest pins first. Default 200.</summary>
    public int MaxOwnPosts { get; init; } = 200;

    /// <summary>Most upvoted posts considered, newest pins first. Default 200.</summary>
    public int MaxUpvotes { get; init; } = 200;

    /// <summary>Pins read to find the communities carried, newest first. Default 2,000.</summary>
    public int PinsScannedForCommunities { get; init; } = 2000;

    /// <summary>Most communities announced. Default 100.</summary>
    public int MaxCommunities { get; init; } = 100;

    /// <summary>The keys to announce, own posts first, then upvotes, then communities; each group in its own priority order.</summary>
    public IReadOnlyList<AnnounceTarget> Compute()
    {
        var own = OwnAuthors();
        var targets = new List<AnnounceTarget>();
        foreach (var id in _store.RecentPins(s_ownReasons, MaxOwnPosts))
        {
            if (Facts(id) is { Kind: RecordKind.Post } facts && own.Contains(facts.Author))
            {
                targets.Add(new AnnounceTarget(id, AnnounceKind.OwnPost, id.ToHex()));
            }
        }

        foreach (var id in _store.RecentPins(s_upvoteReasons, MaxUpvotes))
        {
            targets.Add(new AnnounceTarget(id, AnnounceKind.Upvote, id.ToHex()));
        }

        foreach (var community in Communities())
        {
            targets.Add(new AnnounceTarget(SwarmKeys.Community(community), AnnounceKind.Community, community));
        }

        return targets;
    }

    /// <summary>The communities carried: configured ones first, then those of pinned records by pin count.</summary>
    public IReadOnlyList<string> Communities()
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var id in _store.RecentPins(s_allReasons, PinsScannedForCommunities))
        {
            if (Facts(id)?.Community is { } community)
            {
                counts[community] = counts.GetValueOrDefault(community) + 1;
            }
        }

        // The seeding policy's carried communities (setting policy.communities, comma-separated) count as configured.
        var carried = (_store.GetSetting(CarriedCommunitiesSetting) ?? string.Empty)
            .Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(c => TextRules.IsValidCommunity(c));
        return [.. _communities
            .Concat(carried)
            .Concat(counts.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Key))
            .Distinct(StringComparer.Ordinal)
            .Take(MaxCommunities)];
    }

    /// <summary>Each local identity's newest own top-level post (by its created time): the BEP 46 feed head.</summary>
    public IReadOnlyList<FeedHead> FeedHeads()
    {
        var own = OwnAuthors();
        var heads = new Dictionary<string, FeedHead>(StringComparer.Ordinal);
        foreach (var id in _store.RecentPins(s_ownReasons, MaxOwnPosts))
        {
            if (Facts(id) is { Kind: RecordKind.Post, IsComment: false } facts
                && own.Contains(facts.Author)
                && (!heads.TryGetValue(facts.Author, out var head) || head.Created < facts.Created))
            {
                heads[facts.Author] = new FeedHead(facts.Author, id, facts.Created);
            }
        }

        return [.. heads.Values.OrderBy(h => h.AuthorHex, StringComparer.Ordinal)];
    }

    private HashSet<string> OwnAuthors() => _keys.List().Select(k => k.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);

    // A record's kind, author and community never change, so they are read once per id; the cache is dropped when
    // it outgrows what one Compute can touch.
    private RecordFacts? Facts(InfoHash id)
    {
        if (_facts.TryGetValue(id, out var known))
        {
            return known;
        }

        if (_facts.Count > 4 * (MaxOwnPosts + MaxUpvotes + PinsScannedForCommunities))
        {
            _facts.Clear();
        }

        RecordFacts? facts = null;
        if (_store.TryGetRecord(id, out var record) && record is not null)
        {
            facts = new RecordFacts(
                record.Kind, record.AuthorHex, record.Community, record is PostRecord { IsComment: true }, record.Created);
        }

        if (facts is not null)
        {
            // A record not stored yet (pinned ahead of its arrival) is looked up again next time.
            _facts[id] = facts;
        }

        return facts;
    }

    private sealed record RecordFacts(RecordKind Kind, string Author, string? Community, bool IsComment, long Created);
}

/// <summary>An identity's feed head (BEP 46): its newest own post, put as a mutable item under its key.</summary>
/// <param name="AuthorHex">The identity's public key, hex.</param>
/// <param name="Post">The post's id (an info-hash: what BEP 46's <c>ih</c> names).</param>
/// <param name="Created">The post's created time (unix seconds): the item's seq, so it only grows.</param>
public sealed record FeedHead(string AuthorHex, InfoHash Post, long Created);
