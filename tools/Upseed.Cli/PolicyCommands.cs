using System.CommandLine;
using System.Globalization;
using Upseed.Store;

namespace Upseed.Cli;

/// <summary>
/// <c>policy show|set|unset|gc|dropped</c>, <c>block</c>, <c>unblock</c>, <c>blocks</c>, <c>hidden</c>,
/// <c>follow</c>, <c>unfollow</c>, <c>follow-mod</c>, <c>unfollow-mod</c>: the box's seeding policy, trust and
/// moderation from the shell. Changes land in the data folder; a running node picks them up at its next ingest.
/// </summary>
internal static class PolicyCommands
{
    public static IEnumerable<Command> Build(HandlerFactory handler)
    {
        yield return Policy(handler);
        yield return BlockCommand(handler, "block", "Block an author, a community or a word: refused from now on, stored ones hidden and unseeded", block: true);
        yield return BlockCommand(handler, "unblock", "Lift a block", block: false);
        yield return Blocks(handler);
        yield return Hidden(handler);
        yield return Follow(handler, "follow", "Follow an identity: its votes count in full on this box", follow: true);
        yield return Follow(handler, "unfollow", "Stop following an identity", follow: false);
        yield return FollowModerator(handler, "follow-mod", "Follow a moderator: its labels hide and unseed records here", follow: true);
        yield return FollowModerator(handler, "unfollow-mod", "Stop following a moderator", follow: false);
    }

    private static Command Policy(HandlerFactory handler)
    {
        var policy = new Command("policy", "The seeding policy: communities carried, quotas, retention, trust and proof-of-work settings");

        var show = new Command("show", "Show every policy setting, its value and what it means");
        show.SetAction(handler((ctx, _) =>
        {
            var rows = SeedingPolicy.Settings.Select(s => new { key = s.Key, value = ctx.Store.GetSetting(s.Key), meaning = s.Meaning }).ToList();
            var patterned = SeedingPolicy.Settings.Where(s => s.Key.Contains('<', StringComparison.Ordinal))
                .Select(s => s.Key[..s.Key.IndexOf('<', StringComparison.Ordinal)]).ToList();
            var (records, bytes) = ctx.Store.StoredSize();
            if (ctx.Json)
            {
                ctx.WriteJson(new { settings = rows, records, bytes });
                return;
            }

            foreach (var row in rows.Where(r => !r.key.Contains('<', StringComparison.Ordinal)))
            {
                ctx.Output.WriteLine($"{row.key,-34} {row.value ?? "(default)",-16} {row.meaning}");
            }

            foreach (var prefix in patterned)
            {
                foreach (var key in AllSettingKeys(ctx).Where(k => k.StartsWith(prefix, StringComparison.Ordinal)))
                {
                    ctx.Output.WriteLine($"{key,-34} {ctx.Store.GetSetting(key)}");
                }
            }

            ctx.Output.WriteLine($"Stored: {records} records, {bytes} bytes.");
        }));
        policy.Subcommands.Add(show);

        var key = new Argument<string>("key") { Description = "Setting (see 'upseed policy show')" };
        var value = new Argument<string>("value") { Description = "New value" };
        var set = new Command("set", "Change a policy setting") { key, value };
        set.SetAction(handler((ctx, parse) =>
        {
            var name = parse.GetValue(key)!;
            var text = parse.GetValue(value)!;
            if (!IsKnown(name))
            {
                throw CliException.Usage($"Unknown policy setting '{name}'. See 'upseed policy show'.");
            }

            if (!SeedingPolicy.TryValidate(name, text, out var problem))
            {
                throw CliException.Usage(problem!);
            }

            ctx.Store.SetSetting(name, text);
            ctx.Output.WriteLine($"{name} = {text}");
        }));
        policy.Subcommands.Add(set);

        var unsetKey = new Argument<string>("key") { Description = "Setting to return to its default" };
        var unset = new Command("unset", "Return a policy setting to its default") { unsetKey };
        unset.SetAction(handler((ctx, parse) =>
        {
            var name = parse.GetValue(unsetKey)!;
            if (!IsKnown(name))
            {
                throw CliException.Usage($"Unknown policy setting '{name}'. See 'upseed policy show'.");
            }

            ctx.Store.SetSetting(name, null);
            ctx.Output.WriteLine($"{name} = (default)");
        }));
        policy.Subcommands.Add(unset);

        var gc = new Command("gc", "Run the eviction pass now: drop what the policy no longer keeps; prints what it dropped and why");
        gc.SetAction(handler((ctx, _) =>
        {
            var report = ctx.Store.Evict();
            if (ctx.Json)
            {
                ctx.WriteJson(new
                {
                    dropped = report.Dropped.Select(Dropped).ToList(),
                    report.RecordsBefore,
                    report.BytesBefore,
                    report.RecordsAfter,
                    report.BytesAfter,
                    report.OverQuota,
                });
                return;
            }

            foreach (var dropped in report.Dropped)
            {
                ctx.Output.WriteLine($"dropped {dropped.Id} {dropped.Kind.ToString().ToLowerInvariant()} c/{dropped.Community ?? "-"}: {dropped.Reason}");
            }

            ctx.Output.WriteLine($"{report.Dropped.Count} dropped; {report.RecordsBefore} -> {report.RecordsAfter} records, {report.BytesBefore} -> {report.BytesAfter} bytes.");
            if (report.OverQuota)
            {
                ctx.Output.WriteLine("Still over quota: only pinned and own records are left.");
            }
        }));
        policy.Subcommands.Add(gc);

        var limit = new Option<int>("--limit") { Description = "How many (1-10000)", DefaultValueFactory = _ => 100 };
        var list = new Command("dropped", "What the seeding policy dropped, newest first") { limit };
        list.SetAction(handler((ctx, parse) =>
        {
            var dropped = ctx.Store.Dropped(parse.GetValue(limit));
            if (ctx.Json)
            {
                ctx.WriteJson(dropped.Select(Dropped).ToList());
                return;
            }

            foreach (var d in dropped)
            {
                ctx.Output.WriteLine($"{When(d.When)}  {d.Id} {d.Kind.ToString().ToLowerInvariant()} c/{d.Community ?? "-"}: {d.Reason}");
            }
        }));
        policy.Subcommands.Add(list);
        return policy;
    }

    private static Command BlockCommand(HandlerFactory handler, string name, string description, bool block)
    {
        var command = new Command(name, description);
        foreach (var (kind, what, help) in new[]
        {
            (BlockKind.Author, "author", "An author's public key (64 hex)"),
            (BlockKind.Community, "community", "A community name"),
            (BlockKind.Word, "word", "A regular expression over titles, bodies, names and bios (case-insensitive)"),
        })
        {
            var value = new Argument<string>("value") { Description = help };
            var sub = new Command(what, $"{(block ? "Block" : "Unblock")} {(kind == BlockKind.Word ? "a word" : "an " + what)}".Replace("an community", "a community", StringComparison.Ordinal)) { value };
            sub.SetAction(handler((ctx, parse) =>
            {
                var text = parse.GetValue(value)!;
                try
                {
                    if (block)
                    {
                        ctx.Store.Block(kind, text);
                        ctx.Output.WriteLine($"Blocked {what} {text}.");
                    }
                    else if (ctx.Store.Unblock(kind, text))
                    {
                        ctx.Output.WriteLine($"Unblocked {what} {text}.");
                    }
                    else
                    {
                        throw new CliException(ExitCodes.Failure, $"No block on {what} {text}.");
                    }
                }
                catch (ArgumentException ex)
                {
                    throw CliException.Usage(ex.Message.Split(" (Parameter", 2)[0]);
                }
            }));
            command.Subcommands.Add(sub);
        }

        return command;
    }

    private static Command Blocks(HandlerFactory handler)
    {
        var command = new Command("blocks", "List local blocks, followed moderators and followed identities");
        command.SetAction(handler((ctx, _) =>
        {
            var blocks = ctx.Store.Blocks();
            var moderators = ctx.Store.FollowedModerators();
            var follows = ctx.Store.Follows();
            if (ctx.Json)
            {
                ctx.WriteJson(new
                {
                    blocks = blocks.Select(b => new { kind = b.Kind.ToString().ToLowerInvariant(), b.Value, b.Since }),
                    moderators = moderators.Select(m => new { key = Convert.ToHexStringLower(m.Key.Span), m.Community, m.Since }),
                    follows = follows.Select(f => new { key = Convert.ToHexStringLower(f.Key), f.Since }),
                });
                return;
            }

            foreach (var block in blocks)
            {
                ctx.Output.WriteLine($"block {block.Kind.ToString().ToLowerInvariant(),-9} {block.Value}  (since {When(block.Since)})");
            }

            foreach (var moderator in moderators)
            {
                ctx.Output.WriteLine($"moderator {Convert.ToHexStringLower(moderator.Key.Span)} {(moderator.Community is null ? "all communities" : "c/" + moderator.Community)}");
            }

            foreach (var (key, since) in follows)
            {
                ctx.Output.WriteLine($"follow    {Convert.ToHexStringLower(key)}  (since {When(since)})");
            }
        }));
        return command;
    }

    private static Command Hidden(HandlerFactory handler)
    {
        var limit = new Option<int>("--limit") { Description = "How many (1-10000)", DefaultValueFactory = _ => 100 };
        var command = new Command("hidden", "Records this box hides and does not seed, and why") { limit };
        command.SetAction(handler((ctx, parse) =>
        {
            var hidden = ctx.Store.Hidden(parse.GetValue(limit));
            if (ctx.Json)
            {
                ctx.WriteJson(hidden.Select(h => new
                {
                    id = h.Id.ToHex(),
                    kind = h.Kind?.ToString().ToLowerInvariant(),
                    h.Community,
                    h.Reason,
                    h.Source,
                    h.Detail,
                    h.Since,
                }).ToList());
                return;
            }

            foreach (var h in hidden)
            {
                ctx.Output.WriteLine($"{h.Id} c/{h.Community ?? "-"}: {h.Reason} {h.Source}{(h.Detail is null ? string.Empty : " (" + h.Detail + ")")}");
            }
        }));
        return command;
    }

    private static Command Follow(HandlerFactory handler, string name, string description, bool follow)
    {
        var key = new Argument<string>("key") { Description = "Public key (64 hex)" };
        var command = new Command(name, description) { key };
        command.SetAction(handler((ctx, parse) =>
        {
            var bytes = Key(parse.GetValue(key)!);
            if (follow)
            {
                ctx.Store.Follow(bytes);
            }
            else
            {
                ctx.Store.Unfollow(bytes);
            }

            var trust = ctx.Store.TrustOf(bytes);
            ctx.Output.WriteLine($"{Convert.ToHexStringLower(bytes)}: {trust.Level}, weight {trust.Votes.ToString("0.######", CultureInfo.InvariantCulture)}");
        }));
        return command;
    }

    private static Command FollowModerator(HandlerFactory handler, string name, string description, bool follow)
    {
        var key = new Argument<string>("key") { Description = "The moderator's public key (64 hex)" };
        var community = new Option<string?>("--community") { Description = "Only for this community (default: every community)" };
        var command = new Command(name, description) { key, community };
        command.SetAction(handler((ctx, parse) =>
        {
            var bytes = Key(parse.GetValue(key)!);
            var scope = parse.GetValue(community);
            var where = scope is null ? "every community" : "c/" + scope;
            if (follow)
            {
                ctx.Store.FollowModerator(bytes, scope);
                ctx.Output.WriteLine($"Following moderator {Convert.ToHexStringLower(bytes)} in {where}.");
            }
            else if (ctx.Store.UnfollowModerator(bytes, scope))
            {
                ctx.Output.WriteLine($"No longer following moderator {Convert.ToHexStringLower(bytes)} in {where}.");
            }
            else
            {
                throw new CliException(ExitCodes.Failure, $"Not following moderator {Convert.ToHexStringLower(bytes)} in {where}.");
            }
        }));
        return command;
    }

    private static byte[] Key(string hex) =>
        hex.Length == 64 && hex.All(Uri.IsHexDigit) ? Convert.FromHexString(hex) : throw CliException.Usage($"'{hex}' is not a public key (64 hex characters).");

    private static bool IsKnown(string key) =>
        SeedingPolicy.Settings.Any(s => s.Key == key)
        || SeedingPolicy.Settings.Where(s => s.Key.Contains('<', StringComparison.Ordinal))
            .Any(s => key.StartsWith(s.Key[..s.Key.IndexOf('<', StringComparison.Ordinal)], StringComparison.Ordinal) && key.Length > s.Key.IndexOf('<', StringComparison.Ordinal));

    private static IEnumerable<string> AllSettingKeys(CliContext ctx) =>
        ctx.Store.SettingKeys();

    private static object Dropped(DroppedRecord d) =>
        new { id = d.Id.ToHex(), kind = d.Kind.ToString().ToLowerInvariant(), d.Community, d.Reason, when = d.When };

    private static string When(long unix) => DateTimeOffset.FromUnixTimeSeconds(unix).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
