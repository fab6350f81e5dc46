using System.Globalization;
using Upseed.Records;

namespace Upseed.Web;

/// <summary>
/// Settings the admin may change from the web, each with its meaning and a check. Others are shown read-only; the
/// admin password hash and the hidden lists are never shown here (they have their own pages). The seeding policy's
/// settings (communities carried, quotas, retention) join this list when the relay node defines them.
/// </summary>
internal static class EditableSettings
{
    private static readonly Dictionary<string, (string Meaning, Func<string, bool> Valid)> s_known = new(StringComparer.Ordinal)
    {
        ["pow.identity"] = ("Proof-of-work bits required of identity records (default 20)", Bits),
        ["pow.post"] = ("Proof-of-work bits required of posts and comments (default 18)", Bits),
        ["trackers"] = ("Tracker announce URLs, separated by spaces (none by default)", v => v.Length <= 4096 && !v.Any(char.IsControl)),
    };

    public static bool IsHiddenFromList(string key) =>
        key == AdminAccount.PasswordSetting || key == HiddenList.AuthorsSetting || key == HiddenList.PostsSetting;

    public static string? Meaning(string key) =>
        s_known.TryGetValue(key, out var known) ? known.Meaning
        : IsPerCommunityWork(key) ? "Proof-of-work bits required of posts in community " + key["pow.post.".Length..]
        : s_policy.GetValueOrDefault(key);

    public static bool IsEditable(string key) => s_known.ContainsKey(key) || IsPerCommunityWork(key) || s_policy.ContainsKey(key);

    // The relay node's seeding policy and moderation settings (Upseed.Store.SeedingPolicy.Settings), checked there.
    private static readonly Dictionary<string, string> s_policy = Upseed.Store.SeedingPolicy.Settings
        .Where(s => !s.Key.Contains('<', StringComparison.Ordinal) && !s.Key.StartsWith("pow.", StringComparison.Ordinal))
        .ToDictionary(s => s.Key, s => s.Meaning, StringComparer.Ordinal);

    public static IEnumerable<string> KnownKeys => s_known.Keys.Concat(s_policy.Keys);

    /// <summary>Null when the value may be stored (an empty value removes the setting), else why not.</summary>
    public static string? Check(string key, string value)
    {
        if (!IsEditable(key))
        {
            return "This setting is not editable from the web.";
        }

        if (value.Length == 0)
        {
            return null;
        }

        var valid = s_known.TryGetValue(key, out var known) ? known.Valid(value)
            : s_policy.ContainsKey(key) ? value.Length <= 4096 && !value.Any(char.IsControl)
            : Bits(value);
        return valid ? null : "That value is not valid for " + key + ".";
    }

    private static bool IsPerCommunityWork(string key) =>
        key.StartsWith("pow.post.", StringComparison.Ordinal) && TextRules.IsValidCommunity(key.AsSpan("pow.post.".Length));

    // More than 32 bits would take a Raspberry Pi days per post.
    private static bool Bits(string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var bits) && bits is >= 0 and <= 32;
}
