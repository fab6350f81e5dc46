using System.CommandLine;
using System.Globalization;
using Upseed.Metainfo;
using Upseed.Records;
using Upseed.Store;

namespace Upseed.Cli;

/// <summary><c>post</c>, <c>comment</c>, <c>vote</c>, <c>top</c>, <c>show</c>: using the forum from the shell.</summary>
internal static class ForumCommands
{
    /// <summary>
    /// How far ahead of the clock a vote may be dated to stay newer than the voter's previous one: a minute, well
    /// inside the 10 minutes other boxes allow (<see cref="RecordLimits.MaxFutureSkew"/>).
    /// </summary>
    private const int MaxVoteDateShift = 60;

    private static readonly Option<string?> s_as = new("--as") { Description = "Act as this identity (public key or prefix) instead of the default" };

    public static IEnumerable<Command> Build(HandlerFactory handler)
    {
        yield return PostCommand(handler);
        yield return CommentCommand(handler);
        yield return VoteCommand(handler);
        yield return TopCommand(handler);
        yield return ShowCommand(handler);
    }

    private static Command PostCommand(HandlerFactory handler)
    {
        var community = new Option<string>("--community") { Description = "Community name (lowercase letters, digits, - _ .)", Required = true };
        var title = new Option<string>("--title") { Description = "Title (one line)", Required = true };
        var body = new Option<string?>("--body") { Description = "Body text" };
        var bodyFile = new Option<FileInfo?>("--body-file") { Description = "Read the body from a UTF-8 file" };
        var command = new Command("post", "Write a post; prints its id (the info-hash of its torrent)") { community, title, body, bodyFile, s_as };
        command.SetAction(handler((ctx, parse) =>
        {
            var text = Body(parse.GetValue(body), parse.GetValue(bodyFile));
            var name = parse.GetValue(community)!;
            if (!TextRules.IsValidCommunity(name))
            {
                throw new CliException(ExitCodes.Rejected, $"rejected: invalid-field: '{name}' is not a community name (lowercase letters, digits, '-', '_', '.').");
            }

            CheckText(parse.GetValue(title)!, "title", RecordLimits.MaxTitleBytes, multiline: false, allowEmpty: false);
            CheckText(text, "body", RecordLimits.MaxBodyBytes, multiline: true, allowEmpty: true);
            var post = ctx.Factory(ctx.Identity(parse.GetValue(s_as))).Post(name, parse.GetValue(title)!, text);
            ctx.StoreOwn(post);
            Report(ctx, post);
        }));
        return command;
    }

    private static Command CommentCommand(HandlerFactory handler)
    {
        var parent = new Option<string>("--parent") { Description = "The post or comment this answers (id, prefix or magnet)", Required = true };
        var body = new Option<string?>("--body") { Description = "Comment text" };
        var bodyFile = new Option<FileInfo?>("--body-file") { Description = "Read the comment from a UTF-8 file" };
        var command = new Command("comment", "Answer a post or a comment; prints the comment's id") { parent, body, bodyFile, s_as };
        command.SetAction(handler((ctx, parse) =>
        {
            var text = Body(parse.GetValue(body), parse.GetValue(bodyFile));
            CheckText(text, "body", RecordLimits.MaxBodyBytes, multiline: true, allowEmpty: false);
            var parentId = ctx.ResolveId(parse.GetValue(parent)!);
            if (!ctx.Store.TryGetRecord(parentId, out var record) || record is not PostRecord parentPost)
            {
                throw new CliException(ExitCodes.Failure, $"No post or comment {parentId} in this data folder.");
            }

            var root = parentPost.Root ?? parentPost.Id;
            var comment = ctx.Factory(ctx.Identity(parse.GetValue(s_as))).Comment(parentPost.CommunityName, parentPost.Id, root, text);
            ctx.StoreOwn(comment);
            Report(ctx, comment);
        }));
        return command;
    }

    private static Command VoteCommand(HandlerFactory handler)
    {
        var target = new Argument<string>("id") { Description = "The post or comment (id, prefix or magnet)" };
        var down = new Option<bool>("--down") { Description = "Vote -1 (and stop seeding it)" };
        var clear = new Option<bool>("--clear") { Description = "Withdraw your vote" };
        var command = new Command("vote", "Upvote a post: publishes a signed +1 and seeds it (pins it on this box)") { target, down, clear, s_as };
        command.SetAction(handler((ctx, parse) =>
        {
            if (parse.GetValue(down) && parse.GetValue(clear))
            {
                throw CliException.Usage("--down and --clear cannot be used together.");
            }

            var id = ctx.ResolveId(parse.GetValue(target)!);
            if (!ctx.Store.TryGetRecord(id, out var record) || record is not PostRecord post)
            {
                throw new CliException(ExitCodes.Failure, $"No post or comment {id} in this data folder.");
            }

            var value = parse.GetValue(down) ? -1 : parse.GetValue(clear) ? 0 : 1;
            var vote = CastVote(ctx, ctx.Factory(ctx.Identity(parse.GetValue(s_as))), post.CommunityName, id, value);

            // Upvote = seed: pinned while the upvote stands; a downvote or withdrawal stops seeding it for that reason.
            if (value > 0)
            {
                ctx.Store.Pin(id, PinReason.Upvote);
            }
            else
            {
                ctx.Store.Unpin(id, PinReason.Upvote);
            }

            var score = ctx.Store.Forum.Thread(id)?.Score ?? 0;
            if (ctx.Json)
            {
                ctx.WriteJson(new { vote = vote.Id.ToHex(), target = id.ToHex(), value, score, seeding = ctx.Store.Pins(id).Count > 0 });
            }
            else
            {
                var verb = value switch { 1 => "Upvoted", -1 => "Downvoted", _ => "Withdrew your vote on" };
                ctx.Output.WriteLine($"{verb} {id}; its score is now {score}.");
                ctx.Output.WriteLine(vote.Id.ToHex());
            }
        }));
        return command;
    }

    /// <summary>
    /// Signs and stores a vote that replaces the voter's previous one. <c>created</c> has one-second resolution and the
    /// store keeps the newest vote per voter (a tie goes to the larger id), so a change of mind within the same second
    /// may lose to the vote it means to replace; then the vote is dated a second later, up to
    /// <see cref="MaxVoteDateShift"/> seconds.
    /// </summary>
    private static VoteRecord CastVote(CliContext ctx, RecordFactory factory, string community, InfoHash target, int value)
    {
        var now = ctx.Environment.Clock.GetUtcNow().ToUnixTimeSeconds();
        for (var shift = 0; ; shift++)
        {
            var vote = factory.Vote(community, target, value, now + shift);
            var result = ctx.Store.Ingest(vote.Bytes);
            if (result.Outcome != IngestOutcome.Rejected)
            {
                return vote;
            }

            if (result.Rejection?.Reason != RejectReason.Superseded || shift >= MaxVoteDateShift)
            {
                throw new CliException(ExitCodes.Rejected, $"rejected: {result.Rejection}");
            }
        }
    }

    private static Command TopCommand(HandlerFactory handler)
    {
        var community = new Option<string?>("--community") { Description = "Only this community" };
        var sort = new Option<ListingSort>("--sort") { Description = "hot, new or top", DefaultValueFactory = _ => ListingSort.Hot };
        var period = new Option<TopPeriod>("--period") { Description = "For --sort top: day, week, month, year or all", DefaultValueFactory = _ => TopPeriod.Day };
        var limit = new Option<int>("--limit") { Description = "How many posts (1-500)", DefaultValueFactory = _ => 25 };
        var offset = new Option<int>("--offset") { Description = "Skip this many (for the next page)" };
        var search = new Option<string?>("--search") { Description = "Only posts whose title contains this text" };
        var command = new Command("top", "List posts: hot, new, or top of a day/week/month/year/all") { community, sort, period, limit, offset, search };
        command.SetAction(handler((ctx, parse) =>
        {
            var count = parse.GetValue(limit);
            if (count is < 1 or > 500)
            {
                throw CliException.Usage("--limit is 1 to 500.");
            }

            var posts = ctx.Store.Forum.List(new ListingQuery
            {
                Community = parse.GetValue(community),
                Sort = parse.GetValue(sort),
                Period = parse.GetValue(period),
                Limit = count,
                Offset = parse.GetValue(offset),
                TitleContains = parse.GetValue(search),
            });
            if (ctx.Json)
            {
                ctx.WriteJson(posts.Select(JsonModels.Post).ToList());
                return;
            }

            foreach (var post in posts)
            {
                var when = DateTimeOffset.FromUnixTimeSeconds(post.Created).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
                ctx.Output.WriteLine($"{post.Score,5}  {post.Title}");
                ctx.Output.WriteLine($"       c/{post.Community} · {post.AuthorName ?? Convert.ToHexStringLower(post.Author.Span)[..8]} · {when} · {post.Comments} comments · {post.Id}");
            }
        }));
        return command;
    }

    private static Command ShowCommand(HandlerFactory handler)
    {
        var target = new Argument<string>("id") { Description = "The post or comment (id, prefix or magnet)" };
        var sort = new Option<CommentSort>("--sort") { Description = "Order comments by top or new", DefaultValueFactory = _ => CommentSort.Top };
        var command = new Command("show", "Show a post with its comment tree") { target, sort };
        command.SetAction(handler((ctx, parse) =>
        {
            var id = ctx.ResolveId(parse.GetValue(target)!);
            var thread = ctx.Store.Forum.Thread(id, parse.GetValue(sort))
                ?? throw new CliException(ExitCodes.Failure, $"No post or comment {id} in this data folder.");
            if (ctx.Json)
            {
                ctx.WriteJson(JsonModels.Thread(thread));
                return;
            }

            Print(ctx.Output, thread, 0);
        }));
        return command;
    }

    private static void Print(TextWriter output, ThreadNode node, int depth)
    {
        var indent = new string(' ', depth * 2);
        var who = node.AuthorName ?? Convert.ToHexStringLower(node.Author.Span)[..8];
        var when = DateTimeOffset.FromUnixTimeSeconds(node.Created).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        if (node.Title is not null)
        {
            output.WriteLine($"{indent}{node.Title}");
        }

        output.WriteLine($"{indent}[{node.Score}] {who} · {when} · {node.Id}");
        foreach (var line in (node.Retracted ? "[retracted by its author]" : node.Body ?? string.Empty).Split('\n'))
        {
            output.WriteLine($"{indent}  {line}");
        }

        foreach (var reply in node.Replies)
        {
            Print(output, reply, depth + 1);
        }
    }

    private static void Report(CliContext ctx, PostRecord post)
    {
        if (ctx.Json)
        {
            // One JSON document and nothing else, so that JSON parsers read the output.
            ctx.WriteJson(new { id = post.Id.ToHex(), magnet = JsonModels.Magnet(ctx.Store, post), file = post.FileName });
            return;
        }

        ctx.Output.WriteLine(post.Id.ToHex());
    }

    private static string Body(string? body, FileInfo? file)
    {
        if (body is not null && file is not null)
        {
            throw CliException.Usage("Give --body or --body-file, not both.");
        }

        if (file is not null)
        {
            if (!file.Exists)
            {
                throw CliException.Usage($"No file {file.FullName}.");
            }

            var bytes = File.ReadAllBytes(file.FullName);
            if (bytes.Length > RecordLimits.MaxBodyBytes)
            {
                throw new CliException(ExitCodes.Rejected, $"rejected: field-too-long: The body is {bytes.Length} bytes; the limit is {RecordLimits.MaxBodyBytes}.");
            }

            if (!System.Text.Unicode.Utf8.IsValid(bytes))
            {
                throw new CliException(ExitCodes.Rejected, $"rejected: invalid-text: {file.Name} is not UTF-8 text.");
            }

            return System.Text.Encoding.UTF8.GetString(bytes);
        }

        return body ?? string.Empty;
    }

    private static void CheckText(string text, string field, int max, bool multiline, bool allowEmpty)
    {
        if (TextRules.Check(text, field, max, multiline, allowEmpty) is { } problem)
        {
            throw new CliException(ExitCodes.Rejected, $"rejected: {problem}");
        }
    }
}
