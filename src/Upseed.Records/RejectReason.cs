namespace Upseed.Records;

/// <summary>
/// Why a record was refused. Every path that takes records in (CLI import, sync, torrents, MQTT, LoRa) reports one of
/// these with a sentence; the code is stable and machine-readable (<see cref="RecordRejection.Code"/>).
/// </summary>
public enum RejectReason
{
    /// <summary>Not bencode at all, or cut short.</summary>
    Malformed,
    /// <summary>Bencode that is not in canonical form (unsorted keys, leading zeros, trailing bytes...).</summary>
    NonCanonical,
    /// <summary>The whole record is over the size cap.</summary>
    TooLarge,
    /// <summary>A record format version this node does not know.</summary>
    UnsupportedVersion,
    /// <summary>A kind this node does not know.</summary>
    UnknownKind,
    /// <summary>A required field is absent.</summary>
    MissingField,
    /// <summary>A field this kind does not have.</summary>
    UnexpectedField,
    /// <summary>A field with the wrong type, size or value.</summary>
    InvalidField,
    /// <summary>Text that is not valid UTF-8, or holds control characters or binary.</summary>
    InvalidText,
    /// <summary>A text field over its size cap.</summary>
    FieldTooLong,
    /// <summary>Created more than the allowed skew in the future.</summary>
    FutureTimestamp,
    /// <summary>The Ed25519 signature does not verify.</summary>
    BadSignature,
    /// <summary>The proof of work is below the difficulty required here.</summary>
    InsufficientWork,
    /// <summary>This exact record is already stored (a replay).</summary>
    Duplicate,
    /// <summary>A newer record from the same author already replaces this one (an old vote or profile replayed).</summary>
    Superseded,
    /// <summary>The record contradicts one it refers to (a comment in another community than its thread, a retraction of someone else's record).</summary>
    Inconsistent,
    /// <summary>Refused by this box's own moderation: a blocked author, community or word (a local choice, not a fault).</summary>
    Blocked,
    /// <summary>This box does not carry the record's community (its seeding policy), and nothing here pins it.</summary>
    NotCarried,
    /// <summary>This box dropped the record (or its target) by its seeding policy; it is not taken back unless pinned.</summary>
    Dropped,
}
