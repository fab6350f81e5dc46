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

    // Built once: decoding runs on every record that arrives, and compares raw key bytes without decoding them.
    private static readonly Dictionary<RecordKind, byte[][]> s_allowed = new()
    {
        [RecordKind.Identity] = Keys(Name, Bio, Pow),
        [RecordKind.Post] = Keys(Community, Title, Body, Parent, Root, Pow),
        [RecordKind.Vote] = Keys(Community, Target, Value),
        [RecordKind.Retract] = Keys(Community, Target, Replacement),
        [RecordKind.Label] = Keys(Community, Target, Subject, Label, Reason),
        [RecordKind.Charter] = Keys(Community, Title, Rules, Moderators, Difficulty),
    };

    private static readonly Dictionary<string, RecordKind> s_kinds =
        Enum.GetValues<RecordKind>().ToDictionary(KindName, k => k, StringComparer.Ordinal);

    private static readonly Dictionary<string, byte[]> s_keyBytes = typeof(RecordFields)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.IsLiteral)
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToDictionary(k => k, k => System.Text.Encoding.ASCII.GetBytes(k), StringComparer.Ordinal);

    /// <summary>True when a kind may carry this key (required or optional).</summary>
    public static bool IsAllowed(RecordKind kind, ReadOnlySpan<byte> key)
    {
        foreach (var allowed in s_allowed[kind])
        {
            if (key.SequenceEqual(allowed))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The ASCII bytes of a field name, without allocating.</summary>
    public static byte[] KeyBytes(string field) => s_keyBytes[field];

    public static string KindName(RecordKind kind) => kind.ToString().ToLowerInvariant();

    public static bool TryParseKind(string name, out RecordKind kind) => s_kinds.TryGetValue(name, out kind);

    private static byte[][] Keys(params string[] keys) =>
        [.. s_common.Concat(keys).Select(k => System.Text.Encoding.ASCII.GetBytes(k))];
}
