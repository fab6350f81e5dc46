using Upseed.Sync.Protocol;
using Upseed.Sync.Reconciliation;

namespace Upseed.Sync;

/// <summary>How community sync behaves. Every default is written down.</summary>
public sealed record SyncOptions
{
    /// <summary>The extension's name in the BEP 10 handshake's <c>m</c> dictionary.</summary>
    public const string ExtensionName = "upseed_sync";

    /// <summary>The id we ask peers to send <c>upseed_sync</c> messages on (our <c>m</c> entry).</summary>
    public const byte LocalExtensionId = 1;

    /// <summary>Reconciliation tuning and limits (frame size 60 KiB by default).</summary>
    public ReconcileOptions Reconcile { get; init; } = ReconcileOptions.Default;

    /// <summary>Decoder limits of sync messages.</summary>
    public SyncCodecOptions Codec { get; init; } = SyncCodecOptions.Default;

    /// <summary>
    /// The time windows the initiator reconciles, newest first, as ages back from now: [now - 1 h, ∞), then
    /// [now - 1 d, now - 1 h) and so on, and last everything older than the oldest age. Fresh posts thus move before
    /// old ones. Defaults to 1 hour, 1 day, 7 days, 30 days, 365 days.
    /// </summary>
    public IReadOnlyList<TimeSpan> Windows { get; init; } =
        [TimeSpan.FromHours(1), TimeSpan.FromDays(1), TimeSpan.FromDays(7), TimeSpan.FromDays(30), TimeSpan.FromDays(365)];

    /// <summary>
    /// Record batches sent and not yet acknowledged; the sender waits for an acknowledgement before sending more, so
    /// a slow ingester is never flooded. Defaults to 4 (up to about 256 KiB in flight).
    /// </summary>
    public int BatchWindow { get; init; } = 4;

    /// <summary>
    /// New records up to this size are pushed inline; larger ones are offered by id and sent when asked. Defaults to
    /// 16 KiB: posts are a few KiB, and a peer that has the record already loses little.
    /// </summary>
    public int PushInlineMaxBytes { get; init; } = 16 * 1024;

    /// <summary>How often the initiator of a connection reconciles again while connected. Defaults to 10 minutes (push carries what is new meanwhile).</summary>
    public TimeSpan ResyncInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the store is polled for records written by other processes (the CLI). Defaults to 500 ms.</summary>
    public TimeSpan ChangePollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Time for the handshakes and the hello. Defaults to 10 s.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A sync connection with no message for this long is closed. Defaults to 3 minutes (keep-alives every 90 s).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>How often we send a keep-alive when otherwise silent. Defaults to 90 s.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Ids remembered per connection as known to the peer (it sent them, or we did), so a record is not pushed back
    /// where it came from. Defaults to 16,384.
    /// </summary>
    public int KnownIdsCapacity { get; init; } = 16_384;

    /// <summary>Client name in the extension handshake's <c>v</c>. Defaults to "Upseed 0.1".</summary>
    public string ClientVersion { get; init; } = "Upseed 0.1";

    /// <summary>Our listen port for the extension handshake's <c>p</c>, or null. Defaults to null.</summary>
    public int? ListenPort { get; init; }

    /// <summary>Shortest and longest wait between reconnects of a maintained link (doubling). Default 1 s to 60 s.</summary>
    public TimeSpan ReconnectMin { get; init; } = TimeSpan.FromSeconds(1);

    /// <inheritdoc cref="ReconnectMin"/>
    public TimeSpan ReconnectMax { get; init; } = TimeSpan.FromSeconds(60);

    public static SyncOptions Default { get; } = new();
}
