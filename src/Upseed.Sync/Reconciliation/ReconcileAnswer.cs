namespace Upseed.Sync.Reconciliation;

/// <summary>What <see cref="Reconciler.Process"/> produced.</summary>
/// <param name="Message">The answer's bytes, valid until the reconciler's next call.</param>
/// <param name="ExpectsReply">The answer holds summaries or lists the peer must answer.</param>
/// <param name="HasRequests">The answer asks the peer for items (the peer sends records, no answer).</param>
public readonly record struct ReconcileAnswer(ReadOnlyMemory<byte> Message, bool ExpectsReply, bool HasRequests);
