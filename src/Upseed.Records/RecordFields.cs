namespace Upseed.Records;

/// <summary>The dictionary keys of records (the wire format). Canonical order is raw-byte order of these names.</summary>
internal static class RecordFields
{
    public const string Author = "author";
    public const string Bio = "bio";
    public const string Body = "body";
    public const string Community = "community";
    public const string Created = "created";
    public const string Difficulty = "difficulty";
    public const string Kind = "kind";
    public const string Label = "label";
    public const string Moderators = "moderators";
    public const string Name = "name";
    public const string Parent = "parent";
    public const string Pow = "pow";
    public const string Reason = "reason";
    public const string Replacement = "replacement";
    public const string Root = "root";
    public const string Rules = "rules";
    public const string Sig = "sig";
    public const string Subject = "subject";
    public const string Target = "target";
    public const string Title = "title";
    public const string Value = "value";
    public const string Version = "v";

    private static readonly string[] s_common = [Author, Created, Kind, Sig, Version];

    /// <summary>Every key a kind may carry (required or optional).</summary>
    public static IReadOnlySet<string> AllowedFor(RecordKind kind) => kind switch
    {
        RecordKind.Identity => Set(Name, Bio, Pow),
        RecordKind.Post => Set(Community, Title, Body, Parent, Root, Pow),
        RecordKind.Vote => Set(Community, Target, Value),
        RecordKind.Retract => Set(Community, Target, Replacement),
        RecordKind.Label => Set(Community, Target, Subject, Label, Reason),
        RecordKind.Charter => Set(Community, Title, Rules, Moderators, Difficulty),
        _ => Set(),
    };

    public static string KindName(RecordKind kind) => kind.ToString().ToLowerInvariant();

    public static bool TryParseKind(string name, out RecordKind kind)
    {
        foreach (var candidate in Enum.GetValues<RecordKind>())
        {
            if (KindName(candidate) == name)
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }

    private static HashSet<string> Set(params string[] keys) => [.. s_common, .. keys];
}
