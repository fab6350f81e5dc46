namespace Upseed.Sync.Reconciliation;

/// <summary>Tuning and decoder limits of a reconciliation. Every default is written down.</summary>
public sealed record ReconcileOptions
{
    /// <summary>The smallest <see cref="FrameSizeLimit"/>: Negentropy's floor (PROTOCOLS.md §6).</summary>
    public const int MinFrameSizeLimit = 4096;

    /// <summary>
    /// Largest reconciliation message we send, in bytes. When answering would exceed it, the rest of the set is
    /// summarised in one range and settled in later rounds (as Negentropy's frameSizeLimit). Defaults to 60 KiB, so
    /// a message with its headers fits one BitTorrent message under the wire's 64 KiB limit.
    /// </summary>
    public int FrameSizeLimit { get; init; } = 60 * 1024;

    /// <summary>Ranges the initiator's first message splits the set into. Defaults to 16 (Negentropy's bucket count).</summary>
    public int InitialBuckets { get; init; } = 16;

    /// <summary>
    /// Most sub-ranges one differing range is split into. Later splits aim at one difference per sub-range, estimated
    /// from how many ranges of the last message differed. Defaults to 64.
    /// </summary>
    public int MaxBuckets { get; init; } = 64;

    /// <summary>
    /// Ranges of at most this many items are listed (6 bytes per item) instead of split. Defaults to 4: listing four
    /// costs about what two summaries cost and settles the range in one step.
    /// </summary>
    public int HashListThreshold { get; init; } = 4;

    /// <summary>Most ranges accepted in one message. Defaults to 32,768 (a 64 KiB message of 2-byte ranges).</summary>
    public int MaxRanges { get; init; } = 32_768;

    /// <summary>Most entries accepted in one hash list or need list. Defaults to 8,192.</summary>
    public int MaxListLength { get; init; } = 8_192;

    public static ReconcileOptions Default { get; } = new();

    /// <exception cref="ArgumentOutOfRangeException">A value outside its documented range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(FrameSizeLimit, MinFrameSizeLimit);
        ArgumentOutOfRangeException.ThrowIfLessThan(InitialBuckets, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBuckets, 2);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(MaxBuckets, 1024);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(InitialBuckets, 1024);
        ArgumentOutOfRangeException.ThrowIfNegative(HashListThreshold);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(HashListThreshold, 256);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRanges, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxListLength, 256);
    }
}
