namespace Upseed.MeshText;

/// <summary>
/// At most N events per sliding window per key (a radio's node number), on an injected clock. Keys idle for a whole
/// window are forgotten, so memory follows the radios actually talking.
/// </summary>
public sealed class SenderRateLimiter
{
    private readonly int _limit;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;
    private readonly Dictionary<uint, Queue<DateTimeOffset>> _events = [];
    private readonly Lock _gate = new();

    public SenderRateLimiter(int limit, TimeSpan window, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        _limit = limit;
        _window = window;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Counts an event for <paramref name="key"/> if it is under the limit; otherwise says when it may try again.</summary>
    public bool TryAcquire(uint key, out TimeSpan retryAfter)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            if (_events.Count > 1024)
            {
                foreach (var idle in _events.Where(e => e.Value.Count == 0 || now - e.Value.Last() >= _window).Select(e => e.Key).ToList())
                {
                    _events.Remove(idle);
                }
            }

            if (!_events.TryGetValue(key, out var times))
            {
                times = new Queue<DateTimeOffset>();
                _events[key] = times;
            }

            while (times.Count > 0 && now - times.Peek() >= _window)
            {
                times.Dequeue();
            }

            if (times.Count >= _limit)
            {
                retryAfter = times.Peek() + _window - now;
                return false;
            }

            times.Enqueue(now);
            retryAfter = TimeSpan.Zero;
            return true;
        }
    }
}
