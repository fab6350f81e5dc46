namespace Upseed.Store;

/// <summary>Listing orders and the time windows of "Top".</summary>
public enum ListingSort
{
    Hot,
    New,
    Top,
}

public enum TopPeriod
{
    Day,
    Week,
    Month,
    Year,
    All,
}

/// <summary>How comments under a post are ordered.</summary>
public enum CommentSort
{
    Top,
    New,
}

/// <summary>Ranking formulas, as the forums people know use them.</summary>
public static class Ranking
{
    /// <summary>
    /// Posts older than this have a hot rank of zero and fall back to newest-first, as in Lemmy (whose hot ranks
    /// stop being refreshed after a week). It also bounds the work of a Hot listing on a large store.
    /// </summary>
    public static readonly TimeSpan HotWindow = TimeSpan.FromDays(7);

    /// <summary>Lemmy's hot rank: log10(max(2, score + 2)) / (hours since posting + 2)^1.8.</summary>
    public static double Hot(long score, long created, long now) => Hot((double)score, created, now);

    /// <summary>Lemmy's hot rank over a weighted score (a fraction of votes).</summary>
    public static double Hot(double score, long created, long now)
    {
        var hours = Math.Max(0, now - created) / 3600.0;
        return Math.Log10(Math.Max(2, score + 2)) / Math.Pow(hours + 2, 1.8);
    }

    /// <summary>The earliest creation time a "Top" listing of the period includes.</summary>
    public static long Since(TopPeriod period, long now) => period switch
    {
        TopPeriod.Day => now - 86_400,
        TopPeriod.Week => now - (7 * 86_400),
        TopPeriod.Month => now - (30 * 86_400),
        TopPeriod.Year => now - (365 * 86_400),
        _ => long.MinValue,
    };
}
