using System.Globalization;
using Upseed.Records;
using Upseed.Store;

namespace Upseed.MeshText;

/// <summary>
/// Reads what a person typed in the Meshtastic app. Forgiving about case and spacing (phones capitalise the first
/// word), strict about what it accepts: community names must be valid slugs, numbers small.
/// </summary>
public static class MeshTextCommandParser
{
    private const int MaxIndex = 99;
    private const int MinIdPrefix = 6;

    public static MeshTextCommand Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim();
        var space = trimmed.IndexOfAny([' ', '\t', '\n']);
        var verb = (space < 0 ? trimmed : trimmed[..space]).ToLowerInvariant();
        var rest = space < 0 ? string.Empty : trimmed[(space + 1)..].TrimStart();
        var words = rest.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
        return verb switch
        {
            "" or "help" or "?" or "h" => new HelpCommand(),
            "top" => ParseList(ListingSort.Top, words),
            "hot" => ParseList(ListingSort.Hot, words),
            "new" => ParseList(ListingSort.New, words),
            "show" or "read" => ParseShow(words),
            "post" => ParsePost(rest),
            _ => new InvalidCommand($"Unknown command '{Shorten(verb)}'. Send help."),
        };
    }

    private static MeshTextCommand ParseList(ListingSort sort, string[] words)
    {
        string? community = null;
        TopPeriod? period = null;
        foreach (var word in words.Select(w => w.ToLowerInvariant()))
        {
            if (sort == ListingSort.Top && period is null && TryParsePeriod(word, out var p))
            {
                period = p;
            }
            else if (community is null && TextRules.IsValidCommunity(word))
            {
                community = word;
            }
            else
            {
                return new InvalidCommand($"'{Shorten(word)}' is not a community{(sort == ListingSort.Top ? " or period (day week month year all)" : string.Empty)}.");
            }
        }

        return new ListCommand(sort, community, period);
    }

    private static MeshTextCommand ParseShow(string[] words)
    {
        if (words.Length != 1)
        {
            return new InvalidCommand("Use: show N (from the last list) or read ID.");
        }

        var word = words[0].TrimStart('#');
        if (int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index is >= 1 and <= MaxIndex)
        {
            return new ShowCommand(index, null);
        }

        if (word.Length is >= MinIdPrefix and <= 40 && word.All(Uri.IsHexDigit))
        {
            return new ShowCommand(null, word.ToLowerInvariant());
        }

        return new InvalidCommand("Use: show N (from the last list) or read ID (6+ hex digits).");
    }

    private static MeshTextCommand ParsePost(string rest)
    {
        var space = rest.IndexOfAny([' ', '\t', '\n']);
        if (space < 0)
        {
            return new InvalidCommand("Use: post COMMUNITY your text");
        }

        var community = rest[..space].ToLowerInvariant();
        if (!TextRules.IsValidCommunity(community))
        {
            return new InvalidCommand($"'{Shorten(community)}' is not a community name.");
        }

        var text = rest[(space + 1)..].Trim();
        return text.Length == 0 ? new InvalidCommand("Use: post COMMUNITY your text") : new PostCommand(community, text);
    }

    private static bool TryParsePeriod(string word, out TopPeriod period)
    {
        (var ok, period) = word switch
        {
            "day" or "today" or "24h" => (true, TopPeriod.Day),
            "week" or "7d" => (true, TopPeriod.Week),
            "month" or "30d" => (true, TopPeriod.Month),
            "year" => (true, TopPeriod.Year),
            "all" or "ever" => (true, TopPeriod.All),
            _ => (false, TopPeriod.Day),
        };
        return ok;
    }

    private static string Shorten(string word) => word.Length <= 20 ? word : word[..20] + "…";
}
