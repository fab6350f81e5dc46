namespace Upseed.Sync.Protocol;

/// <summary>The first byte of an <c>upseed_sync</c> message.</summary>
public enum SyncMessageType : byte
{
    Hello = 1,
    ReconcileRequest = 2,
    ReconcileResponse = 3,
    Records = 4,
    RecordsAck = 5,
    Offer = 6,
    Need = 7,
}
