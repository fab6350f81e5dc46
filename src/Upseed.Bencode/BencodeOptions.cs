namespace Upseed.Bencode;

/// <summary>Limits the decoder enforces. Every default is written down; callers tighten them per protocol.</summary>
public sealed record BencodeOptions
{
    /// <summary>
    /// Deepest nesting of lists and dictionaries. Defaults to 32: metainfo and KRPC need 4, records need 3,
    /// and the bound keeps recursion far from the stack limit.
    /// </summary>
    public int MaxDepth { get; init; } = 32;

    /// <summary>Longest byte string. Defaults to 1 MiB, more than any metainfo `pieces` a record torrent produces.</summary>
    public int MaxStringLength { get; init; } = 1 << 20;

    /// <summary>Largest whole input. Defaults to 4 MiB.</summary>
    public int MaxMessageSize { get; init; } = 4 << 20;

    /// <summary>Most values (strings, integers, lists, dictionaries) in one input. Defaults to 100,000.</summary>
    public int MaxValues { get; init; } = 100_000;

    /// <summary>
    /// Whether dictionary keys must appear in ascending raw-byte order (BEP 3). Defaults to <see langword="true"/>:
    /// records are signed over their canonical bytes, so anything Upseed stores must be canonical. Messages from other
    /// clients (BEP 10 extension handshakes, ut_metadata, ut_pex) come from encoders that do not always sort, so their
    /// decoders pass <see langword="false"/>. Duplicate keys are refused either way, since they make a message mean two
    /// things. A decoded dictionary is sorted in memory regardless; only its <see cref="BValue.Raw"/> keeps the order
    /// found on the wire.
    /// </summary>
    public bool RequireSortedKeys { get; init; } = true;

    /// <summary>The defaults above.</summary>
    public static BencodeOptions Default { get; } = new();
}
