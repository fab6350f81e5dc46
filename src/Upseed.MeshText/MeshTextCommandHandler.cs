using System.Globalization;
using System.Text;
using Upseed.Meshtastic;
using Upseed.Metainfo;
using Upseed.Records;
using Upseed.Store;

namespace Upseed.MeshText;

/// <summary>
/// Answers one text command from one radio: listings and posts from the store, posts through the radio's kept
/// identity, rate limits per radio and overall. No I/O but the store; <see cref="MeshTextBridge"/> moves the text.
/// </summary>
public sealed class MeshTextCommandHandler
{
    private const string HelpText =
        "Upseed forum box. Send: top [community] [day|week|month|all] · new [community] · show N · post community your text · help";

    private readonly RecordStore _store;
    private readonly MeshTextOptions _options;
    private readonly MeshIdentityKeeper _identities;
    private readonly SenderRateLimiter _commands;
    private readonly SenderRateLimiter _posts;
    private readonly SenderRateLimiter _total;
    private readonly Lock _gate = new();
    private readonly Dictionary<uint, IReadOnlyList<InfoHash>> _lastListing = [];
    private readonly Queue<uint> _listingOrder = new();
    private readonly HashSet<uint> _warned = [];

    public MeshTextCommandHandler(RecordStore store, MeshTextOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _options = options ?? MeshTextOptions.Default;
        _identities = new MeshIdentityKeeper(store, _options.KeyFolderName);
        var time = timeProvider ?? TimeProvider.System;
        _commands = new SenderRateLimiter(_options.CommandsPerWindow, _options.CommandWindow, time);
        _posts = new SenderRateLimiter(_options.PostsPerWindow, _options.PostWindow, time);
        _total = new SenderRateLimiter(_options.TotalCommandsPerHour, TimeSpan.FromHours(1), time);
    }

    public MeshIdentityKeeper Identities => _identities;

    /// <summary>
    /// The reply messages for <paramref name="text"/> from radio <paramref name="from"/>: at most
    /// <see cref="MeshTextOptions.MaxRepliesPerCommand"/> messages of at most <see cref="MeshTextOptions.MaxReplyBytes"/>
    /// bytes each. Empty when the radio is over its limit and was already told so (silence saves airtime).
    /// </summary>
    /// <param name="from">The sender's node number.</param>
    /// <param name="text">The message as typed.</param>
    /// <param name="displayName">The radio's long name from the node database, if known (names a new identity).</param>
    /// <param name="cancellationToken">Stops a proof-of-work search.</param>
    /// <exception cref="OperationCanceledException">The token was cancelled (during proof of work, say).</exception>
    public IReadOnlyList<string> Handle(uint from, string text, string? displayName = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!_total.TryAcquire(0, out _))
        {
            return [];
        }

        if (!_commands.TryAcquire(from, out var retry))
        {
            lock (_gate)
            {
                // One "slow down" per burst, then silence until the window frees up.
                return _warned.Add(from) ? Fit($"Slow down: try again in {Minutes(retry)} min.") : [];
            }
        }

        lock (_gate)
        {
            _warned.Remove(from);
        }

        return MeshTextCommandParser.Parse(text) switch
        {
            HelpCommand => Fit(HelpText),
            ListCommand list => Listing(from, list),
            ShowCommand show => Show(from, show),
            PostCommand post => Post(from, post, displayName, cancellationToken),
            InvalidCommand invalid => Fit(invalid.Reason),
            _ => Fit(HelpText),
        };
    }

    private IReadOnlyList<string> Listing(uint from, ListCommand command)
    {
        var period = command.Period ?? _options.DefaultPeriod;
        var posts = _store.Forum.List(new ListingQuery
        {
            Community = command.Community,
            Sort = command.Sort,
            Period = period,
            Limit = _options.ListingLength,
        });
        var what = command.Sort switch
        {
            ListingSort.Top => $"top {command.Community ?? "all"} {PeriodName(period)}",
            ListingSort.New => $"new {command.Community ?? "all"}",
            _ => $"hot {command.Community ?? "all"}",
        };
        if (posts.Count == 0)
        {
            return Fit($"No posts ({what}).");
        }

        Remember(from, [.. posts.Select(p => p.Id)]);
        var lines = new List<string> { what + " (show N to read):" };
        lines.AddRange(posts.Select((p, i) => string.Create(
            CultureInfo.InvariantCulture,
            $"{i + 1} {(p.Score >= 0 ? "+" : string.Empty)}{p.Score} {OneLine(p.Title ?? "(untitled)")}{(p.Comments > 0 ? $" [{p.Comments}]" : string.Empty)}")));
        return ReplyFormatter.PackLines(lines, _options.MaxReplyBytes, _options.MaxRepliesPerCommand);
    }

    private IReadOnlyList<string> Show(uint from, ShowCommand command)
    {
        InfoHash id;
        if (command.Index is { } index)
        {
            IReadOnlyList<InfoHash>? listing;
            lock (_gate)
            {
                _lastListing.TryGetValue(from, out listing);
            }

            if (listing is null || index > listing.Count)
            {
                return Fit($"No post {index} in your last list. Send top first.");
            }

            id = listing[index - 1];
        }
        else
        {
            var matches = _store.FindByPrefix(command.IdPrefix!);
            if (matches.Count != 1)
            {
                return Fit(matches.Count == 0 ? $"No post {command.IdPrefix} here." : $"{command.IdPrefix} matches several posts; send more digits.");
            }

            id = matches[0];
        }

        var thread = _store.Forum.Thread(id);
        if (thread is null || thread.Retracted)
        {
            return Fit("That post is not here (any more).");
        }

        var header = string.Create(
            CultureInfo.InvariantCulture,
            $"{OneLine(thread.Title ?? "(comment)")} ({(thread.Score >= 0 ? "+" : string.Empty)}{thread.Score}, {thread.CountReplies()} comments, by {OneLine(thread.AuthorName ?? "?")}, id {id.ToHex()[..8]})");
        var body = string.IsNullOrWhiteSpace(thread.Body) ? string.Empty : "\n" + thread.Body.Trim();
        return ReplyFormatter.Split(header + body, _options.MaxReplyBytes, _options.MaxRepliesPerCommand);
    }

    private IReadOnlyList<string> Post(uint from, PostCommand command, string? displayName, CancellationToken cancellationToken)
    {
        if (_options.PostCommunities is { } allowed && !allowed.Contains(command.Community))
        {
            return Fit($"This box does not take posts for {command.Community} by radio.");
        }

        if (!_posts.TryAcquire(from, out var retry))
        {
            return Fit($"Post limit reached: try again in {Minutes(retry)} min.");
        }

        // The first line is the title (one line, as records require); whatever follows is the body.
        var newline = command.Text.IndexOf('\n', StringComparison.Ordinal);
        var title = (newline < 0 ? command.Text : command.Text[..newline]).Trim();
        var body = newline < 0 ? string.Empty : command.Text[(newline + 1)..].Trim();
        var invalid = TextRules.Check(title, "title", RecordLimits.MaxTitleBytes, multiline: false, allowEmpty: false)
            ?? TextRules.Check(body, "body", RecordLimits.MaxBodyBytes, multiline: true, allowEmpty: true);
        if (invalid is not null)
        {
            return Fit("Not posted: " + invalid.Message);
        }

        try
        {
            var key = _identities.GetOrCreate(from, displayName, cancellationToken);
            var post = new RecordFactory(key, _store.ValidationOptions).Post(command.Community, title, body, cancellationToken: cancellationToken);
            var result = _store.Ingest(post.Bytes);
            if (result.Outcome == IngestOutcome.Rejected)
            {
                return Fit("Not posted: " + result.Rejection!.Message);
            }

            _store.Pin(post.Id, PinReason.Own);
            var name = _store.DisplayName(key.PublicKey.Span) ?? MeshtasticNodeNumber.ToNodeId(from);
            return Fit($"Posted to {command.Community} as {name}. id {post.Id.ToHex()[..8]}");
        }
        catch (RecordRejectedException ex)
        {
            return Fit("Not posted: " + ex.Message);
        }
    }

    private void Remember(uint from, IReadOnlyList<InfoHash> ids)
    {
        lock (_gate)
        {
            if (!_lastListing.ContainsKey(from))
            {
                _listingOrder.Enqueue(from);
                while (_listingOrder.Count > _options.RememberedListings)
                {
                    _lastListing.Remove(_listingOrder.Dequeue());
                }
            }

            _lastListing[from] = ids;
        }
    }

    private IReadOnlyList<string> Fit(string text) => [ReplyFormatter.Truncate(text, _options.MaxReplyBytes)];

    private static string OneLine(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        return builder.ToString().Trim();
    }

    private static string PeriodName(TopPeriod period) => period.ToString().ToLowerInvariant();

    private static int Minutes(TimeSpan wait) => Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes));
}
