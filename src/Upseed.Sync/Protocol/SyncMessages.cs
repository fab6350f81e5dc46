using Upseed.Metainfo;

namespace Upseed.Sync.Protocol;

/// <summary>
/// A message of the <c>upseed_sync</c> extension: the payload of a BEP 10 extended message under the id the receiver
/// chose for <c>upseed_sync</c> in its extension handshake. The first byte is <see cref="Type"/>.
/// </summary>
public abstract record SyncMessage
{
    public abstract SyncMessageType Type { get; }
}

/// <summary>First message on a sync connection: the protocol version and the community (which must hash to the swarm key).</summary>
public sealed record SyncHello(byte Version, string Community) : SyncMessage
{
    /// <summary>The only version so far.</summary>
    public const byte CurrentVersion = 1;

    public override SyncMessageType Type => SyncMessageType.Hello;
}

/// <summary>
/// The initiator's reconciliation message for one time window. The first of a window (<see cref="Start"/>) carries the
/// window [<see cref="From"/>, <see cref="To"/>) in unix seconds (To null = no upper end) and the salt; the last
/// (<see cref="Final"/>) expects no answer.
/// </summary>
public sealed record ReconcileRequest(uint Window, bool Start, bool Final, long From, long? To, ReadOnlyMemory<byte> Salt, ReadOnlyMemory<byte> Ranges) : SyncMessage
{
    public override SyncMessageType Type => SyncMessageType.ReconcileRequest;

    public bool Equals(ReconcileRequest? other) =>
        other is not null && Window == other.Window && Start == other.Start && Final == other.Final && From == other.From && To == other.To
        && Salt.Span.SequenceEqual(other.Salt.Span) && Ranges.Span.SequenceEqual(other.Ranges.Span);

    public override int GetHashCode() => HashCode.Combine(Window, Start, Final, From, To, Ranges.Length);
}

/// <summary>The responder's answer to a reconciliation message of window <see cref="Window"/>.</summary>
public sealed record ReconcileResponse(uint Window, ReadOnlyMemory<byte> Ranges) : SyncMessage
{
    public override SyncMessageType Type => SyncMessageType.ReconcileResponse;

    public bool Equals(ReconcileResponse? other) => other is not null && Window == other.Window && Ranges.Span.SequenceEqual(other.Ranges.Span);

    public override int GetHashCode() => HashCode.Combine(Window, Ranges.Length);
}

/// <summary>Signed records, inline. The receiver ingests them and acknowledges <see cref="Batch"/>.</summary>
public sealed record RecordBatch(uint Batch, IReadOnlyList<ReadOnlyMemory<byte>> Records) : SyncMessage
{
    public override SyncMessageType Type => SyncMessageType.Records;

    public bool Equals(RecordBatch? other) =>
        other is not null && Batch == other.Batch && Records.Count == other.Records.Count
        && Records.Zip(other.Records).All(pair => pair.First.Span.SequenceEqual(pair.Second.Span));

    public override int GetHashCode() => HashCode.Combine(Batch, Records.Count);
}

/// <summary>A batch was ingested: the sender may send another (back-pressure).</summary>
public sealed record RecordBatchAck(uint Batch) : SyncMessage
{
    public override SyncMessageType Type => SyncMessageType.RecordsAck;
}

/// <summary>Ids of new records the sender holds (push of records too large to send unasked).</summary>
public sealed record RecordOffer(IReadOnlyList<InfoHash> Ids) : SyncMessage
{
    public override SyncMessageType Type => SyncMessageType.Offer;

    public bool Equals(RecordOffer? other) => other is not null && Ids.SequenceEqual(other.Ids);

    public override int GetHashCode() => Ids.Count;
}

/// <summary>Ids the sender lacks, answering an offer: the receiver sends those records.</summary>
public sealed record RecordNeed(IReadOnlyList<InfoHash> Ids) : SyncMessage
{
    public override SyncMessageType Type => SyncMessageType.Need;

    public bool Equals(RecordNeed? other) => other is not null && Ids.SequenceEqual(other.Ids);

    public override int GetHashCode() => Ids.Count;
}
