namespace Upseed.Metainfo;

/// <summary>
/// The rule for one component of a file path in metainfo (a single-file <c>name</c> or an element of a <c>path</c> list).
/// BEP 3 leaves it open; a client writes these names to disk, so anything that could leave the download folder
/// (<c>..</c>, a separator) or names nothing (empty, <c>.</c>) is refused rather than sanitised.
/// </summary>
internal static class PathElement
{
    /// <summary>Why <paramref name="element"/> cannot be a path component, or null when it can.</summary>
    public static string? Problem(string element) => element switch
    {
        "" => "is empty",
        "." => "is \".\"",
        ".." => "is \"..\"",
        _ when element.Contains('/', StringComparison.Ordinal) => "contains '/'",
        _ when element.Contains('\0', StringComparison.Ordinal) => "contains a NUL character",
        _ => null,
    };
}
