namespace Upseed.Store;

/// <summary>How a store opens its database. Every default is written down.</summary>
public sealed record StoreOptions
{
    /// <summary>The database file's name inside the data folder. Defaults to <c>upseed.db</c>.</summary>
    public string DatabaseFileName { get; init; } = "upseed.db";

    /// <summary>The clock for arrival times, ranking and "not in the future". Defaults to the system clock.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// How long a writer waits for another process's write transaction (the CLI and a running node share the
    /// folder). Defaults to 30 seconds.
    /// </summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// SQLite synchronous mode. Defaults to FULL: a record is acknowledged only once its commit is on disk, even
    /// across a power cut (NORMAL in WAL mode may lose the last commits).
    /// </summary>
    public bool SynchronousFull { get; init; } = true;

    /// <summary>
    /// Threads that check signatures of one ingest batch at once. Defaults to the processor count: signature checks
    /// are most of the cost of ingest, and they need no lock.
    /// </summary>
    public int VerifyParallelism { get; init; } = Environment.ProcessorCount;
}
