using Upseed.Records;

namespace Upseed.LoRa.Mesh;

/// <summary>What the sink made of a record: accepted (new), already held, or refused. The record when it is valid.</summary>
public readonly record struct MeshIngestResult(MeshIngestOutcome Outcome, SignedRecord? Record);

public enum MeshIngestOutcome
{
    Accepted,
    Duplicate,
    Rejected,
}
