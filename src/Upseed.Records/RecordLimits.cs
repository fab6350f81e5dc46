namespace Upseed.Records;

/// <summary>Size caps per field, in UTF-8 bytes. They are part of the format: every node must agree on them.</summary>
public static class RecordLimits
{
    /// <summary>A whole record stays under 64 KiB (DESIGN.md): at most four 16 KiB pieces, one metadata piece group.</summary>
    public const int MaxRecordSize = (64 * 1024) - 1;

    /// <summary>Display names are one line, short enough for a phone's list view.</summary>
    public const int MaxNameBytes = 64;

    public const int MaxBioBytes = 1024;

    /// <summary>Titles are one line; Reddit and Lemmy cap titles near 200-300 characters.</summary>
    public const int MaxTitleBytes = 300;

    /// <summary>Bodies: 40,000 bytes, Reddit's self-post cap, leaving room under <see cref="MaxRecordSize"/>.</summary>
    public const int MaxBodyBytes = 40_000;

    /// <summary>Community names: lowercase ASCII slug, 1 to 64 characters.</summary>
    public const int MaxCommunityBytes = 64;

    public const int MaxLabelBytes = 32;

    public const int MaxReasonBytes = 1024;

    public const int MaxRulesBytes = 16 * 1024;

    public const int MaxModerators = 64;

    /// <summary>How far in the future a creation time may be, for clock skew between boxes (issue 2: 10 minutes).</summary>
    public static readonly TimeSpan MaxFutureSkew = TimeSpan.FromMinutes(10);

    /// <summary>The only record format version so far.</summary>
    public const int FormatVersion = 1;
}
