namespace Upseed.Store;

public enum IngestOutcome
{
    /// <summary>Validated and committed.</summary>
    Accepted,
    /// <summary>Already stored; nothing changed (ingest is idempotent).</summary>
    Duplicate,
    /// <summary>Refused with a reason; nothing changed.</summary>
    Rejected,
}
