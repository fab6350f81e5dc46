namespace Upseed.Web;

/// <summary>How the web board and admin behave. Every default is written down.</summary>
public sealed class WebOptions
{
    /// <summary>
    /// PBKDF2-SHA256 iterations for the admin password. Defaults to 600,000 (OWASP's 2023 figure for
    /// PBKDF2-HMAC-SHA256); fewer are refused.
    /// </summary>
    public int Pbkdf2Iterations { get; set; } = PasswordHash.MinimumIterations;

    /// <summary>
    /// PBKDF2-SHA256 iterations for members' sealed key files. Defaults to 600,000; fewer are refused unless
    /// <see cref="AllowWeakKeyFilesForTests"/>.
    /// </summary>
    public int KeyFileIterations { get; set; } = PasswordHash.MinimumIterations;

    /// <summary>Only for tests that make many identities: allows fewer key-file iterations. Defaults to false.</summary>
    public bool AllowWeakKeyFilesForTests { get; set; }

    /// <summary>Login, setup and unlock attempts allowed per client address per minute. Defaults to 10.</summary>
    public int AuthAttemptsPerMinute { get; set; } = 10;

    /// <summary>An admin session ends after this long without a request. Defaults to 2 hours.</summary>
    public TimeSpan AdminIdleTimeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// A member session (which holds the member's decrypted key in memory) ends after this long without a request.
    /// Defaults to 7 days: members use the board from their own phones, and re-typing a passphrase daily is a chore.
    /// </summary>
    public TimeSpan MemberIdleTimeout { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Posts per listing page. Defaults to 25.</summary>
    public int PageSize { get; set; } = 25;

    /// <summary>How often the dashboard's metrics are sampled. Defaults to 1 minute.</summary>
    public TimeSpan MetricsInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Samples kept for the dashboard's charts. Defaults to 1,440 (a day at one a minute).</summary>
    public int MetricsSamples { get; set; } = 1_440;

    /// <summary>Log entries kept for the admin's log page. Defaults to 500.</summary>
    public int LogEntries { get; set; } = 500;

    /// <summary>The clock for sessions and metrics. Defaults to the system clock.</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>
    /// Extra figures for the dashboard from other parts of the box (the seeding engine, the DHT, the uplinks): each
    /// source returns named values, sampled with the store's own. Defaults to none.
    /// </summary>
    public IList<Func<IServiceProvider, IEnumerable<KeyValuePair<string, double>>>> MetricSources { get; } = [];
}
