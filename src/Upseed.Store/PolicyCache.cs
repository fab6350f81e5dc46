using System.Text.RegularExpressions;

namespace Upseed.Store;

/// <summary>
/// What ingest checks on every record, read once from the database: blocks, followed moderators and identities,
/// effective charters, the seeding policy. Rebuilt when the <c>policy.version</c> setting changes (another process,
/// the CLI beside a running node, changed something).
/// </summary>
internal sealed class PolicyCache
{
    public static PolicyCache Empty { get; } = new();

    public string Version { get; init; } = string.Empty;

    public HashSet<string> BlockedAuthors { get; init; } = new(StringComparer.Ordinal);

    public HashSet<string> BlockedCommunities { get; init; } = new(StringComparer.Ordinal);

    public IReadOnlyList<(string Pattern, Regex Regex)> BlockedWords { get; init; } = [];

    /// <summary>Moderators followed by hand: (key hex, community, or "" for all).</summary>
    public HashSet<(string Key, string Community)> Moderators { get; init; } = [];

    /// <summary>Identities followed (key hex), for choosing whose charter counts.</summary>
    public HashSet<string> Follows { get; init; } = new(StringComparer.Ordinal);

    public Dictionary<string, EffectiveCharter> Charters { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Labels that hide; null means every label.</summary>
    public HashSet<string>? HidingLabels { get; init; }

    public SeedingPolicy Seeding { get; init; } = new();

    /// <summary>The first blocked pattern that matches any of the texts.</summary>
    public string? MatchWord(params string?[] texts)
    {
        foreach (var (pattern, regex) in BlockedWords)
        {
            foreach (var text in texts)
            {
                if (text is not null && regex.IsMatch(text))
                {
                    return pattern;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// True when a label by this moderator counts for a record in <paramref name="community"/> (null: unknown or
    /// none): followed by hand for all communities or this one, or named by the community's effective charter.
    /// </summary>
    public bool Honours(string moderatorHex, string label, string? community)
    {
        if (HidingLabels is not null && !HidingLabels.Contains(label))
        {
            return false;
        }

        if (Moderators.Contains((moderatorHex, string.Empty)))
        {
            return true;
        }

        if (community is null)
        {
            return false;
        }

        return Moderators.Contains((moderatorHex, community))
            || (Charters.TryGetValue(community, out var charter)
                && charter.Moderators.Any(m => Convert.ToHexStringLower(m.Span) == moderatorHex));
    }

    /// <summary>Compiles a blocked-word pattern: case-insensitive, and linear-time so no pattern can stall ingest.</summary>
    /// <exception cref="ArgumentException">Not a pattern the non-backtracking engine accepts.</exception>
    public static Regex CompileWord(string pattern) =>
        new(pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
}
