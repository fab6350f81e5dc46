using Microsoft.Extensions.Logging;

namespace Upseed.Web;

/// <summary>
/// Keeps the box's most recent log entries in memory for the admin's log page: a fixed-size ring, oldest dropped
/// first, Information and above (Debug/Trace would push the useful lines out).
/// </summary>
[ProviderAlias("UpseedRing")]
public sealed class RingBufferLoggerProvider : ILoggerProvider
{
    private readonly LogEntry[] _ring;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private long _written;

    public RingBufferLoggerProvider(WebOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _ring = new LogEntry[Math.Max(1, options.LogEntries)];
        _clock = options.Clock;
    }

    public ILogger CreateLogger(string categoryName) => new RingLogger(this, categoryName);

    /// <summary>The kept entries, oldest first.</summary>
    public IReadOnlyList<LogEntry> Entries()
    {
        lock (_gate)
        {
            var count = (int)Math.Min(_written, _ring.Length);
            var start = _written - count;
            var entries = new LogEntry[count];
            for (var i = 0; i < count; i++)
            {
                entries[i] = _ring[(start + i) % _ring.Length];
            }

            return entries;
        }
    }

    public void Dispose()
    {
    }

    private void Add(LogEntry entry)
    {
        lock (_gate)
        {
            _ring[_written % _ring.Length] = entry;
            _written++;
        }
    }

    private sealed class RingLogger(RingBufferLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var message = formatter(state, exception);
            if (exception is not null)
            {
                message += " (" + exception.GetType().Name + ": " + exception.Message + ")";
            }

            owner.Add(new LogEntry(owner._clock.GetUtcNow(), logLevel, category, message));
        }
    }
}
