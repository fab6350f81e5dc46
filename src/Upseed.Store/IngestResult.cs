using Upseed.Metainfo;
using Upseed.Records;

namespace Upseed.Store;

/// <summary>What became of one record offered to the store.</summary>
public sealed record IngestResult(IngestOutcome Outcome, InfoHash? Id, SignedRecord? Record, RecordRejection? Rejection)
{
    public static IngestResult Accepted(SignedRecord record) => new(IngestOutcome.Accepted, record.Id, record, null);

    public static IngestResult Duplicate(InfoHash id) =>
        new(IngestOutcome.Duplicate, id, null, new RecordRejection(RejectReason.Duplicate, $"Record {id} is already stored."));

    public static IngestResult Rejected(RecordRejection rejection, InfoHash? id = null) => new(IngestOutcome.Rejected, id, null, rejection);
}
