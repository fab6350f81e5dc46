using Upseed.Crypto;
using Upseed.Metainfo;
using Upseed.Records;
using Upseed.Store;

namespace Upseed.Web;

/// <summary>
/// The board's reads and writes over the store: listings and threads mapped to DTOs (with the viewer's votes, this
/// box's seeding state and magnet links, hidden posts left out), and posts, comments and votes signed with a
/// member's unlocked key and ingested exactly as the CLI does (own records pinned; upvote = pin, downvote = unpin).
/// </summary>
internal sealed class BoardService
{
    /// <summary>A vote changed within the same second may lose to the vote it replaces; it is dated up to this later.</summary>
    private const int MaxVoteDateShift = 5;

    private readonly RecordStore _store;
    private readonly StoreStats _stats;
    private readonly HiddenList _hidden;
    private readonly WebOptions _options;

    public BoardService(RecordStore store, StoreStats stats, HiddenList hidden, WebOptions options)
    {
        _store = store;
        _stats = stats;
        _hidden = hidden;
        _options = options;
    }

    public IReadOnlyList<CommunityDto> Communities() =>
        _stats.Communities().Select(c => new CommunityDto(c.Name, c.Posts)).ToList();

    public ListingDto Listing(string? community, ListingSort sort, TopPeriod period, int page, string? query, Ed25519KeyPair? viewer)
    {
        page = Math.Clamp(page, 0, 10_000);
        var size = _options.PageSize;
        var hiddenCount = _hidden.Count;

        // One more than a page tells whether there is a next one; hidden posts are skipped, so ask for as many more
        // (bounded) as there are hidden entries.
        var extra = 1 + Math.Min(hiddenCount, 50);
        var rows = _store.Forum.List(new ListingQuery
        {
            Community = community,
            Sort = sort,
            Period = period,
            Limit = size + extra,
            Offset = page * size,
            TitleContains = string.IsNullOrWhiteSpace(query) ? null : query,
        });
        var visible = hiddenCount == 0 ? rows : rows.Where(r => !_hidden.IsPostHidden(r.Id) && !_hidden.IsAuthorHidden(r.Author.Span)).ToList();
        var posts = visible.Take(size).Select(r => ToDto(r, viewer)).ToList();
        return new ListingDto(
            posts,
            sort.ToString().ToLowerInvariant(),
            sort == ListingSort.Top ? period.ToString().ToLowerInvariant() : null,
            community,
            string.IsNullOrWhiteSpace(query) ? null : query,
            page,
            visible.Count > size);
    }

    public ThreadDto? Thread(InfoHash id, CommentSort sort, Ed25519KeyPair? viewer)
    {
        var node = _store.Forum.Thread(id, sort);
        if (node is null || IsHidden(node))
        {
            return null;
        }

        var comments = Comments(node.Replies, viewer);
        var post = new PostDto(
            node.Id.ToHex(), node.Community, node.Title, Hex(node.Author), node.AuthorName, node.Score, null,
            node.CountReplies(), node.Created, _store.IsPinned(node.Id), MyVote(viewer, node.Id), Magnet(node.Id));
        return new ThreadDto(post, node.Body, node.Retracted, node.Parent?.ToHex(), node.Root?.ToHex(), Count(comments), comments);
    }

    public bool TryPost(Ed25519KeyPair author, NewPostRequest request, CancellationToken cancellationToken, out InfoHash id, out string? error)
    {
        id = default;
        var community = request.Community?.Trim() ?? "";
        var title = request.Title?.Trim() ?? "";
        var body = Normalize(request.Body);
        error = !TextRules.IsValidCommunity(community)
            ? "A community name is lowercase letters, digits, '-', '_' or '.', starting with a letter or digit, at most 64 characters."
            : TextRules.Check(title, "title", RecordLimits.MaxTitleBytes, multiline: false, allowEmpty: false)?.Message
              ?? TextRules.Check(body, "body", RecordLimits.MaxBodyBytes, multiline: true, allowEmpty: true)?.Message;
        if (error is not null)
        {
            return false;
        }

        var post = Factory(author).Post(community, title, body, cancellationToken: cancellationToken);
        if (!StoreOwn(post, out error))
        {
            return false;
        }

        _stats.Invalidate();
        id = post.Id;
        return true;
    }

    public bool TryComment(Ed25519KeyPair author, InfoHash parent, string? text, CancellationToken cancellationToken, out InfoHash id, out string? error)
    {
        id = default;
        var body = Normalize(text);
        error = TextRules.Check(body, "body", RecordLimits.MaxBodyBytes, multiline: true, allowEmpty: false)?.Message;
        if (error is not null)
        {
            return false;
        }

        if (!_store.TryGetRecord(parent, out var record) || record is not PostRecord parentPost)
        {
            error = "There is no such post or comment on this box.";
            return false;
        }

        var comment = Factory(author).Comment(parentPost.CommunityName, parentPost.Id, parentPost.Root ?? parentPost.Id, body, cancellationToken: cancellationToken);
        if (!StoreOwn(comment, out error))
        {
            return false;
        }

        id = comment.Id;
        return true;
    }

    /// <summary>Publishes a vote and applies upvote = seed. Null when the target is not a post or comment here.</summary>
    public VoteResultDto? Vote(Ed25519KeyPair voter, InfoHash target, int value, out string? error)
    {
        error = null;
        if (!_store.TryGetRecord(target, out var record) || record is not PostRecord post)
        {
            error = "There is no such post or comment on this box.";
            return null;
        }

        var factory = Factory(voter);
        var now = _store.ValidationOptions.Clock.GetUtcNow().ToUnixTimeSeconds();
        for (var shift = 0; ; shift++)
        {
            var vote = factory.Vote(post.CommunityName, target, value, now + shift);
            var result = _store.Ingest(vote.Bytes);
            if (result.Outcome != IngestOutcome.Rejected)
            {
                break;
            }

            if (result.Rejection?.Reason != RejectReason.Superseded || shift >= MaxVoteDateShift)
            {
                error = result.Rejection?.Message ?? "The vote was refused.";
                return null;
            }
        }

        // Upvote = seed: pinned while the upvote stands; a downvote or withdrawal stops seeding it for that reason.
        if (value > 0)
        {
            _store.Pin(target, PinReason.Upvote);
        }
        else
        {
            _store.Unpin(target, PinReason.Upvote);
        }

        var score = _store.Forum.Thread(target)?.Score ?? 0;
        return new VoteResultDto(target.ToHex(), value, score, _store.IsPinned(target));
    }

    /// <summary>The magnet link of a post: its info-hash, the box's trackers and its own address as a peer hint.</summary>
    public string Magnet(InfoHash id, string? fileName = null)
    {
        var trackers = (_store.GetSetting("trackers") ?? "")
            .Split([' ', ',', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var hint = _store.GetSetting("node.peer-hint");
        try
        {
            return new MagnetLink(id, fileName, trackers, string.IsNullOrEmpty(hint) ? null : [hint]).ToString();
        }
        catch (ArgumentException)
        {
            // A malformed tracker or hint setting must not break the board: the info-hash alone is a valid link.
            return new MagnetLink(id).ToString();
        }
    }

    /// <summary>The record's torrent file name (the magnet's dn), when the record is here.</summary>
    public string? FileName(InfoHash id) => _store.TryGetRecord(id, out var record) ? record?.FileName : null;

    private PostDto ToDto(PostSummary row, Ed25519KeyPair? viewer) => new(
        row.Id.ToHex(), row.Community, row.Title, Hex(row.Author), row.AuthorName, row.Score, null, row.Comments,
        row.Created, _store.IsPinned(row.Id), MyVote(viewer, row.Id), Magnet(row.Id));

    private List<CommentDto> Comments(IReadOnlyList<ThreadNode> nodes, Ed25519KeyPair? viewer) => nodes
        .Where(n => !IsHidden(n))
        .Select(n => new CommentDto(
            n.Id.ToHex(), n.Body, Hex(n.Author), n.AuthorName, n.Score, n.Created, n.Retracted, MyVote(viewer, n.Id),
            Comments(n.Replies, viewer)))
        .ToList();

    private static int Count(IReadOnlyList<CommentDto> comments) => comments.Sum(c => 1 + Count(c.Replies));

    private bool IsHidden(ThreadNode node) => _hidden.Count > 0 && (_hidden.IsPostHidden(node.Id) || _hidden.IsAuthorHidden(node.Author.Span));

    private int MyVote(Ed25519KeyPair? viewer, InfoHash id) => viewer is null ? 0 : _store.VoteOf(viewer.PublicKey.Span, id) ?? 0;

    private RecordFactory Factory(Ed25519KeyPair author) => new(author, _store.ValidationOptions);

    private bool StoreOwn(SignedRecord record, out string? error)
    {
        var result = _store.Ingest(record.Bytes);
        if (result.Outcome == IngestOutcome.Rejected)
        {
            error = result.Rejection?.Message ?? "The record was refused.";
            return false;
        }

        _store.Pin(record.Id, PinReason.Own);
        error = null;
        return true;
    }

    /// <summary>Browsers send CR LF in text areas; records carry LF only (CR is a control character there).</summary>
    private static string Normalize(string? text) => (text ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Trim();

    private static string Hex(ReadOnlyMemory<byte> key) => Convert.ToHexStringLower(key.Span);
}
