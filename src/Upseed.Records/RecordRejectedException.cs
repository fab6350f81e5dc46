namespace Upseed.Records;

/// <summary>Thrown where a record is made or required and it breaks a rule; carries the same reason ingest would give.</summary>
public sealed class RecordRejectedException : Exception
{
    public RecordRejectedException(RecordRejection rejection)
        : base(rejection?.ToString())
    {
        Rejection = rejection ?? throw new ArgumentNullException(nameof(rejection));
    }

    public RecordRejectedException()
        : this(new RecordRejection(RejectReason.Malformed, "The record was refused."))
    {
    }

    public RecordRejectedException(string message)
        : this(new RecordRejection(RejectReason.Malformed, message))
    {
    }

    public RecordRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Rejection = new RecordRejection(RejectReason.Malformed, message);
    }

    public RecordRejection Rejection { get; }
}
