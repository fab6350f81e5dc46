using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Upseed.Torrent.Tests.Swarm;

/// <summary>Keeps every log line of the system under test, so a test can check reasons and fail on errors.</summary>
internal sealed class RecordingLogger : ILogger
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message)> _entries = new();
    private readonly List<(string Fragment, TaskCompletionSource Logged)> _waiters = [];

    public IReadOnlyList<(LogLevel Level, string Message)> Entries => [.. _entries];

    public IEnumerable<string> Errors => _entries.Where(e => e.Level >= LogLevel.Error).Select(e => e.Message);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        var message = formatter(state, exception) + (exception is null ? string.Empty : $" ({exception.GetType().Name}: {exception.Message})");
        _entries.Enqueue((logLevel, message));
        lock (_waiters)
        {
            foreach (var (fragment, logged) in _waiters)
            {
                if (message.Contains(fragment, StringComparison.Ordinal))
                {
                    logged.TrySetResult();
                }
            }
        }
    }

    public bool Logged(string fragment) => _entries.Any(e => e.Message.Contains(fragment, StringComparison.Ordinal));

    /// <summary>Completes when a line containing <paramref name="fragment"/> has been logged (or already was).</summary>
    public Task WhenLogged(string fragment)
    {
        var logged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            _waiters.Add((fragment, logged));
        }

        if (Logged(fragment))
        {
            logged.TrySetResult();
        }

        return logged.Task;
    }
}
