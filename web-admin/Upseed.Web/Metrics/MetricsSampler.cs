using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Upseed.Records;
using Upseed.Store;

namespace Upseed.Web;

/// <summary>
/// Samples the box's figures for the dashboard at start and every <see cref="WebOptions.MetricsInterval"/>: the
/// store's (records by kind, pins, size on disk), the web's (sessions), and whatever the other parts of the box
/// register in <see cref="WebOptions.MetricSources"/> (the seeding engine's connections and bytes served, later the
/// DHT and uplinks). Store counts go through <see cref="StoreStats"/>' own connection, so they never hold the
/// store's lock while the board is answering.
/// </summary>
internal sealed partial class MetricsSampler(
    RecordStore store, StoreStats stats, SessionStore sessions, MetricsHistory history, WebOptions options,
    IServiceProvider services, ILogger<MetricsSampler> logger) : BackgroundService
{
    public const string Records = "store.records";
    public const string Posts = "store.posts";
    public const string Votes = "store.votes";
    public const string Identities = "store.identities";
    public const string Pins = "store.pins";
    public const string DiskBytes = "store.disk-bytes";
    public const string Sessions = "web.sessions";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Sample();
        using var timer = new PeriodicTimer(options.MetricsInterval, options.Clock);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            Sample();
        }
    }

    public void Sample()
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        try
        {
            var kinds = stats.RecordsByKind();
            values[Records] = kinds.Values.Sum();
            values[Posts] = kinds.GetValueOrDefault(RecordKind.Post);
            values[Votes] = kinds.GetValueOrDefault(RecordKind.Vote);
            values[Identities] = kinds.GetValueOrDefault(RecordKind.Identity);
            values[Pins] = stats.PinCount();
            values[DiskBytes] = DiskSize(store);
            values[Sessions] = sessions.CountOf(SessionKind.Admin) + sessions.CountOf(SessionKind.Member);
            foreach (var source in options.MetricSources)
            {
                foreach (var (name, value) in source(services))
                {
                    values[name] = value;
                }
            }
        }
        catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException or InvalidOperationException)
        {
            LogSampleFailed(logger, ex);
        }

        history.Add(new MetricsSample(options.Clock.GetUtcNow(), values));
    }

    /// <summary>The database and its WAL, by file size (no checkpoint: that would take the store's write lock).</summary>
    public static long DiskSize(RecordStore store) =>
        new[] { store.DatabasePath, store.DatabasePath + "-wal" }.Where(File.Exists).Sum(f => new FileInfo(f).Length);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard metrics sample failed")]
    private static partial void LogSampleFailed(ILogger logger, Exception exception);
}
