namespace Upseed.LoRa.Frames;

/// <summary>Why compact record bytes could not be turned back into a record. Radio noise is normal: no exceptions.</summary>
public enum CompactRecordError
{
    None = 0,
    /// <summary>No bytes at all.</summary>
    Empty,
    /// <summary>The header names a format version or flags this node does not know.</summary>
    UnsupportedFormat,
    /// <summary>The header's kind is not a record kind.</summary>
    UnknownKind,
    /// <summary>The bytes end inside a field.</summary>
    Truncated,
    /// <summary>A field tag this format does not define, or one not allowed in that section.</summary>
    UnknownTag,
    /// <summary>Tags must be strictly ascending (one record, one encoding).</summary>
    TagOutOfOrder,
    /// <summary>A length or count over its limit, or a varint that is not the shortest encoding.</summary>
    BadLength,
    /// <summary>The compressed part does not decompress within the size limit.</summary>
    Decompression,
    /// <summary>The rebuilt record would be over <see cref="Upseed.Records.RecordLimits.MaxRecordSize"/>.</summary>
    TooLarge,
}
