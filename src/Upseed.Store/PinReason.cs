namespace Upseed.Store;

/// <summary>Why this box seeds a record. Stored as the lowercase name.</summary>
public static class PinReason
{
    /// <summary>Made on this box.</summary>
    public const string Own = "own";

    /// <summary>Upvoted from this box: upvote = seed.</summary>
    public const string Upvote = "upvote";

    /// <summary>Chosen by the seeding policy (communities carried, for example).</summary>
    public const string Policy = "policy";

    /// <summary>Pinned by hand by the admin.</summary>
    public const string Manual = "manual";
}
