namespace Upseed.Store;

/// <summary>A page of posts: which community (or all), which order, which period for Top, which page.</summary>
public sealed record ListingQuery
{
    /// <summary>One community, or null for all. Defaults to all.</summary>
    public string? Community { get; init; }

    /// <summary>Defaults to <see cref="ListingSort.Hot"/>.</summary>
    public ListingSort Sort { get; init; } = ListingSort.Hot;

    /// <summary>Only for <see cref="ListingSort.Top"/>. Defaults to <see cref="TopPeriod.Day"/>, as Reddit's Top does.</summary>
    public TopPeriod Period { get; init; } = TopPeriod.Day;

    /// <summary>Page size. Defaults to 25; at most 500.</summary>
    public int Limit { get; init; } = 25;

    /// <summary>Posts to skip (page × size). Defaults to 0.</summary>
    public int Offset { get; init; }

    /// <summary>Only posts whose title contains this text (case-insensitive for ASCII). Defaults to none.</summary>
    public string? TitleContains { get; init; }
}
