using Upseed.Metainfo;
using Upseed.Records;

namespace Upseed.Store;

/// <summary>
/// A stored record this box neither lists nor seeds, and why: <see cref="Reason"/> is one of <see cref="HideReason"/>;
/// <see cref="Source"/> says who or what (the retraction's id, the blocked key, community or pattern, the moderator's
/// key); <see cref="Detail"/> adds the label or the replacement's id.
/// </summary>
public sealed record HiddenRecord(InfoHash Id, RecordKind? Kind, string? Community, string Reason, string Source, string? Detail, long Since);

/// <summary>Why a record is hidden (the <c>hidden</c> table's reason column).</summary>
public static class HideReason
{
    /// <summary>Its author retracted it (source: the retraction's id; detail: the replacement's id, for an edit).</summary>
    public const string Retracted = "retracted";

    /// <summary>Its author is blocked here (source: the author's key).</summary>
    public const string BlockedAuthor = "blocked-author";

    /// <summary>Its community is blocked here (source: the community).</summary>
    public const string BlockedCommunity = "blocked-community";

    /// <summary>Its text matches a blocked word (source: the pattern).</summary>
    public const string BlockedWord = "blocked-word";

    /// <summary>A moderator this box follows labelled it or its author (source: the moderator's key; detail: the label).</summary>
    public const string Label = "label";
}
