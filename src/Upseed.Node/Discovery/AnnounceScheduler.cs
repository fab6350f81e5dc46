using Upseed.Metainfo;

namespace Upseed.Node.Discovery;

/// <summary>What a swarm key stands for; the order is the announce priority (own posts first).</summary>
public enum AnnounceKind
{
    /// <summary>A post or comment authored by an identity whose key is in the data folder.</summary>
    OwnPost = 0,

    /// <summary>A post upvoted from this box (pinned with reason <c>upvote</c>), newest first.</summary>
    Upvote = 1,

    /// <summary>A community the box carries (<see cref="SwarmKeys.Community"/>).</summary>
    Community = 2,
}

/// <summary>One swarm key to announce, with why, and a label for logs and status (a post id or a community name).</summary>
public sealed record AnnounceTarget(InfoHash Key, AnnounceKind Kind, string Label);

/// <summary>
/// Decides which swarm keys to announce to the DHT now, within a budget of announces per minute (a token bucket that
/// holds at most one minute's worth), own posts before recent upvotes before communities, each key again after
/// <see cref="ReannounceInterval"/> (BEP 5 storers drop peers after about 30 minutes) or after
/// <see cref="RetryAfterFailure"/> when no node took the announce. It only decides: the caller runs the announces
/// and reports each with <see cref="Completed"/>. Time comes from the injected clock, so tests step it by hand.
/// Thread-safe.
/// </summary>
public sealed class AnnounceScheduler
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _clock;
    private readonly Dictionary<InfoHash, Entry> _entries = [];
    private List<Entry> _order = [];
    private double _tokens;
    private int _announcesPerMinute;
    private DateTimeOffset _refilledAt;
    private long _started;
    private long _succeeded;
    private long _failed;

    /// <param name="clock">The clock; tests pass one they move.</param>
    /// <param name="announcesPerMinute">The budget: announces started per minute, at least 1.</param>
    /// <param name="reannounceInterval">How long after an announce the key is announced again. Default 20 minutes.</param>
    /// <param name="retryAfterFailure">How long after an announce that no node took the key is tried again. Default 1 minute.</param>
    public AnnounceScheduler(TimeProvider clock, int announcesPerMinute, TimeSpan? reannounceInterval = null, TimeSpan? retryAfterFailure = null)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentOutOfRangeException.ThrowIfLessThan(announcesPerMinute, 1);
        _clock = clock;
        _announcesPerMinute = announcesPerMinute;
        ReannounceInterval = reannounceInterval ?? TimeSpan.FromMinutes(20);
        RetryAfterFailure = retryAfterFailure ?? TimeSpan.FromMinutes(1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ReannounceInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(RetryAfterFailure, TimeSpan.Zero);
        _tokens = announcesPerMinute;
        _refilledAt = clock.GetUtcNow();
    }

    /// <summary>The budget: announces started per minute (at least 1). Changing it keeps the tokens already saved, up to the new cap.</summary>
    public int AnnouncesPerMinute
    {
        get
        {
            lock (_gate)
            {
                return _announcesPerMinute;
            }
        }

        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            lock (_gate)
            {
                Refill(_clock.GetUtcNow());
                _announcesPerMinute = value;
                _tokens = Math.Min(_tokens, value);
            }
        }
    }

    public TimeSpan ReannounceInterval { get; }

    public TimeSpan RetryAfterFailure { get; }

    /// <summary>How many keys the budget keeps announced: announces per minute × the re-announce interval in minutes.</summary>
    public int SustainableKeys => (int)Math.Min(int.MaxValue, AnnouncesPerMinute * ReannounceInterval.TotalMinutes);

    /// <summary>Announces handed out by <see cref="TakeDue"/>.</summary>
    public long AnnouncesStarted
    {
        get
        {
            lock (_gate)
            {
                return _started;
            }
        }
    }

    /// <summary>Announces reported as taken by at least one node.</summary>
    public long AnnouncesSucceeded
    {
        get
        {
            lock (_gate)
            {
                return _succeeded;
            }
        }
    }

    /// <summary>Announces reported as taken by no node.</summary>
    public long AnnouncesFailed
    {
        get
        {
            lock (_gate)
            {
                return _failed;
            }
        }
    }

    /// <summary>The keys currently scheduled, in priority order.</summary>
    public IReadOnlyList<AnnounceTarget> Targets
    {
        get
        {
            lock (_gate)
            {
                return [.. _order.Select(e => e.Target)];
            }
        }
    }

    /// <summary>
    /// Replaces the keys to announce. A key given twice keeps its highest priority; keys kept from before keep their
    /// schedule; new keys are due at once. Within one kind, the given order is the priority (newest first, say).
    /// </summary>
    public void SetTargets(IEnumerable<AnnounceTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var ordered = targets.Select((t, i) => (Target: t, Index: i))
            .OrderBy(x => x.Target.Kind).ThenBy(x => x.Index)
            .Select(x => x.Target)
            .DistinctBy(t => t.Key)
            .ToList();
        lock (_gate)
        {
            var next = new List<Entry>(ordered.Count);
            var entries = new Dictionary<InfoHash, Entry>(ordered.Count);
            foreach (var target in ordered)
            {
                if (_entries.TryGetValue(target.Key, out var entry))
                {
                    entry.Target = target;
                }
                else
                {
                    entry = new Entry(target);
                }

                entries[target.Key] = entry;
                next.Add(entry);
            }

            _entries.Clear();
            foreach (var (key, entry) in entries)
            {
                _entries[key] = entry;
            }

            _order = next;
        }
    }

    /// <summary>How many keys are due now (budget aside).</summary>
    public int DueCount()
    {
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            return _order.Count(e => e.Due <= now);
        }
    }

    /// <summary>
    /// The keys to announce now: due keys in priority order (within a kind, never-announced keys first, then the
    /// longest overdue), as many as the budget allows and at most <paramref name="max"/>. Each key taken counts
    /// against the budget and is not handed out again until <see cref="Completed"/> or its next due time.
    /// </summary>
    public IReadOnlyList<AnnounceTarget> TakeDue(int max = int.MaxValue)
    {
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            Refill(now);
            var budget = (int)Math.Min(Math.Floor(_tokens), max);
            if (budget <= 0)
            {
                return [];
            }

            var due = _order
                .Where(e => !e.InFlight && e.Due <= now)
                .OrderBy(e => e.Target.Kind)
                .ThenBy(e => e.LastStarted is null ? 0 : 1)
                .ThenBy(e => e.Due)
                .Take(budget)
                .ToList();
            foreach (var entry in due)
            {
                entry.InFlight = true;
                entry.LastStarted = now;
                entry.Due = now + ReannounceInterval;
            }

            _tokens -= due.Count;
            _started += due.Count;
            return [.. due.Select(e => e.Target)];
        }
    }

    /// <summary>
    /// Reports an announce handed out by <see cref="TakeDue"/>: taken by at least one node, the key is next due one
    /// <see cref="ReannounceInterval"/> after it started; taken by none, after <see cref="RetryAfterFailure"/>.
    /// </summary>
    public void Completed(InfoHash key, bool success)
    {
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            if (success)
            {
                _succeeded++;
            }
            else
            {
                _failed++;
            }

            if (!_entries.TryGetValue(key, out var entry))
            {
                return;
            }

            entry.InFlight = false;
            entry.LastSucceeded = success ? now : entry.LastSucceeded;
            entry.Due = success ? (entry.LastStarted ?? now) + ReannounceInterval : now + RetryAfterFailure;
        }
    }

    /// <summary>When a key was last announced successfully; null when never (or not scheduled).</summary>
    public DateTimeOffset? LastAnnounced(InfoHash key)
    {
        lock (_gate)
        {
            return _entries.TryGetValue(key, out var entry) ? entry.LastSucceeded : null;
        }
    }

    /// <summary>Keys scheduled per kind.</summary>
    public IReadOnlyDictionary<AnnounceKind, int> CountByKind()
    {
        lock (_gate)
        {
            return Enum.GetValues<AnnounceKind>().ToDictionary(k => k, k => _order.Count(e => e.Target.Kind == k));
        }
    }

    private void Refill(DateTimeOffset now)
    {
        var elapsed = now - _refilledAt;
        if (elapsed > TimeSpan.Zero)
        {
            _tokens = Math.Min(_announcesPerMinute, _tokens + (elapsed.TotalMinutes * _announcesPerMinute));
            _refilledAt = now;
        }
    }

    private sealed class Entry(AnnounceTarget target)
    {
        public AnnounceTarget Target { get; set; } = target;

        public DateTimeOffset Due { get; set; } = DateTimeOffset.MinValue;

        public DateTimeOffset? LastStarted { get; set; }

        public DateTimeOffset? LastSucceeded { get; set; }

        public bool InFlight { get; set; }
    }
}
