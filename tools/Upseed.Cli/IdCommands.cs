using System.CommandLine;
using Upseed.Crypto;
using Upseed.Records;

namespace Upseed.Cli;

/// <summary><c>upseed id new|show|list|use</c>: identities whose keys live in the data folder.</summary>
internal static class IdCommands
{
    public static Command Build(HandlerFactory handler)
    {
        var id = new Command("id", "Identities: a key pair and a signed profile with proof of work");

        var name = new Option<string>("--name") { Description = "Display name (one line, up to 64 bytes)", Required = true };
        var bio = new Option<string?>("--bio") { Description = "A few words about you" };
        var create = new Command("new", "Make a new identity, store its key, and make it the default") { name, bio };
        create.SetAction(handler((ctx, parse) => New(ctx, parse.GetValue(name)!, parse.GetValue(bio))));
        id.Subcommands.Add(create);

        var key = new Argument<string?>("key") { Description = "Public key (hex, or a unique prefix); default identity if left out", Arity = ArgumentArity.ZeroOrOne };
        var show = new Command("show", "Show an identity (the default one unless a key is given)") { key };
        show.SetAction(handler((ctx, parse) => Show(ctx, parse.GetValue(key))));
        id.Subcommands.Add(show);

        var list = new Command("list", "List the identities whose keys are in this data folder");
        list.SetAction(handler((ctx, _) => List(ctx)));
        id.Subcommands.Add(list);

        var useKey = new Argument<string>("key") { Description = "Public key (hex, or a unique prefix)" };
        var use = new Command("use", "Make an identity the default for posting and voting") { useKey };
        use.SetAction(handler((ctx, parse) =>
        {
            var keyPair = ctx.Identity(parse.GetValue(useKey));
            ctx.Store.SetSetting(CliContext.DefaultIdentitySetting, keyPair.PublicKeyHex);
            ctx.Output.WriteLine(keyPair.PublicKeyHex);
        }));
        id.Subcommands.Add(use);
        return id;
    }

    private static void New(CliContext ctx, string name, string? bio)
    {
        // Check the text before spending a second on proof of work.
        var problem = TextRules.Check(name, "name", RecordLimits.MaxNameBytes, multiline: false, allowEmpty: false)
            ?? (bio is null ? null : TextRules.Check(bio, "bio", RecordLimits.MaxBioBytes, multiline: true, allowEmpty: true));
        if (problem is not null)
        {
            throw new CliException(ExitCodes.Rejected, $"rejected: {problem}");
        }

        var keyPair = Ed25519.Generate();
        var identity = ctx.Factory(keyPair).Identity(name, bio);
        ctx.Keys.Save(keyPair);
        ctx.StoreOwn(identity);
        ctx.Store.SetSetting(CliContext.DefaultIdentitySetting, keyPair.PublicKeyHex);
        if (ctx.Json)
        {
            // One JSON document and nothing else, so that JSON parsers read the output.
            ctx.WriteJson(new { key = keyPair.PublicKeyHex, name, record = identity.Id.ToHex() });
            return;
        }

        ctx.Output.WriteLine($"Made identity '{name}'. Its secret key is in {ctx.Keys.Path} (keep a copy).");
        ctx.Output.WriteLine(keyPair.PublicKeyHex);
    }

    private static void Show(CliContext ctx, string? key)
    {
        var keyPair = ctx.Identity(key);
        var name = ctx.Store.DisplayName(keyPair.PublicKey.Span);
        var isDefault = ctx.Store.GetSetting(CliContext.DefaultIdentitySetting) == keyPair.PublicKeyHex;
        if (ctx.Json)
        {
            ctx.WriteJson(new { key = keyPair.PublicKeyHex, name, isDefault });
            return;
        }

        ctx.Output.WriteLine($"name: {name ?? "(no identity record)"}");
        ctx.Output.WriteLine($"default: {(isDefault ? "yes" : "no")}");
        ctx.Output.WriteLine(keyPair.PublicKeyHex);
    }

    private static void List(CliContext ctx)
    {
        var defaultKey = ctx.Store.GetSetting(CliContext.DefaultIdentitySetting);
        var rows = ctx.Keys.List()
            .Select(k => new { key = k, name = ctx.Store.DisplayName(Convert.FromHexString(k)), isDefault = k == defaultKey })
            .ToList();
        if (ctx.Json)
        {
            ctx.WriteJson(rows);
            return;
        }

        foreach (var row in rows)
        {
            ctx.Output.WriteLine($"{(row.isDefault ? "*" : " ")} {row.key}  {row.name}");
        }
    }
}
