using Upseed.Records;
using Upseed.Torrent.Wire;

namespace Upseed.Sync.Protocol;

/// <summary>Limits the <c>upseed_sync</c> decoder enforces. Every default is written down.</summary>
public sealed record SyncCodecOptions
{
    /// <summary>
    /// Largest message payload: the peer wire's default message limit less the two id bytes of an extended message
    /// (BEP 10). Defaults to 65,547 bytes, which holds one record of the largest size (64 KiB - 1) with its headers.
    /// </summary>
    public int MaxMessageBytes { get; init; } = PeerWireOptions.Default.MaxMessageLength - 2;

    /// <summary>Largest record in a batch. Defaults to <see cref="RecordLimits.MaxRecordSize"/>.</summary>
    public int MaxRecordBytes { get; init; } = RecordLimits.MaxRecordSize;

    /// <summary>Most records in one batch. Defaults to 1,024 (small votes are about 250 bytes).</summary>
    public int MaxRecordsPerBatch { get; init; } = 1024;

    /// <summary>Most ids in one offer or need list. Defaults to 2,048 (40 KiB).</summary>
    public int MaxIds { get; init; } = 2048;

    /// <summary>Longest community name in a hello. Defaults to <see cref="RecordLimits.MaxCommunityBytes"/>.</summary>
    public int MaxCommunityBytes { get; init; } = RecordLimits.MaxCommunityBytes;

    public static SyncCodecOptions Default { get; } = new();
}
