namespace Upseed.LoRa.Frames;

/// <summary>Limits of reassembly: memory stays bounded whatever the radio hears.</summary>
public sealed record FrameAssemblerOptions
{
    /// <summary>
    /// Messages being reassembled at once; when full, the one idle longest is dropped. Defaults to 32 (at most
    /// 32 × 16 × 227 B ≈ 116 KiB of fragments).
    /// </summary>
    public int MaxPendingMessages { get; init; } = 32;

    /// <summary>
    /// How long a partial message waits for its missing fragments after the last one arrived. Defaults to 10 minutes:
    /// a repair over a busy 1%-duty-cycle channel can take minutes.
    /// </summary>
    public TimeSpan PartialLifetime { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Completed message ids remembered, so late fragments of a delivered message are recognised as duplicates.
    /// Defaults to 4096.
    /// </summary>
    public int CompletedMemory { get; init; } = 4096;
}
