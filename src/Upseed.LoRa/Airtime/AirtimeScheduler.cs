using Upseed.LoRa.Frames;

namespace Upseed.LoRa.Airtime;

/// <summary>
/// Decides what goes on air next: the most urgent frame whose time has come, when the duty-cycle budget of the band
/// has room for it (the region's allowance × <see cref="AirtimeSchedulerOptions.UsableShare"/>; background frames
/// only up to <see cref="AirtimeSchedulerOptions.BackgroundShare"/> of it). Frames longer than the region's dwell
/// limit are refused at the door. Not thread-safe: one owner (the relay) drives it.
/// </summary>
public sealed class AirtimeScheduler
{
    private readonly AirtimeSchedulerOptions _options;
    private readonly TimeProvider _clock;
    private readonly List<ScheduledFrame> _queue = [];
    private readonly DutyCycleBudget _budget;
    private readonly Dictionary<TransmitPriority, DutyCycleBudget> _byPriority = [];
    private readonly LinkedList<HourlyAirtime> _hours = new();
    private long _sequence;

    public AirtimeScheduler(AirtimeSchedulerOptions? options = null, TimeProvider? clock = null)
    {
        _options = options ?? new AirtimeSchedulerOptions();
        _clock = clock ?? TimeProvider.System;
        _budget = new DutyCycleBudget(_options.Region.Window);
        foreach (var priority in Enum.GetValues<TransmitPriority>())
        {
            _byPriority[priority] = new DutyCycleBudget(_options.Region.Window);
        }
    }

    public AirtimeSchedulerOptions Options => _options;

    public long FramesSent { get; private set; }

    public long FramesRefused { get; private set; }

    public int QueuedCount => _queue.Count;

    public IReadOnlyList<ScheduledFrame> Queued => _queue;

    /// <summary>The airtime the box allows itself per window.</summary>
    public TimeSpan UsableAllowance => _options.Region.Allowance * _options.UsableShare;

    /// <summary>Time on air of a payload of this many bytes, Meshtastic overhead included.</summary>
    public TimeSpan AirtimeOf(int payloadBytes) => _options.Preset.TimeOnAir(MeshtasticPacketSize.PhyPayloadLength(payloadBytes));

    /// <summary>
    /// The largest payload whose single transmission fits the region's dwell limit (the link's own limit otherwise),
    /// 0 when none does.
    /// </summary>
    public int MaxPayloadWithinDwell(int linkMaxPayload)
    {
        if (_options.Region.MaxDwell is not { } dwell)
        {
            return linkMaxPayload;
        }

        for (var size = linkMaxPayload; size > MeshFrameCodec.FragmentHeaderSize; size--)
        {
            if (AirtimeOf(size) <= dwell)
            {
                return size;
            }
        }

        return 0;
    }

    /// <summary>
    /// Queues a frame. False when it can never go (longer than the dwell limit) or the queue is full of frames at
    /// least as urgent.
    /// </summary>
    public bool TryEnqueue(ScheduledFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        frame.Airtime = AirtimeOf(frame.Packet.Payload.Length);
        if (_options.Region.MaxDwell is { } dwell && frame.Airtime > dwell)
        {
            FramesRefused++;
            return false;
        }

        if (_queue.Count >= _options.MaxQueuedFrames)
        {
            var victim = _queue.MaxBy(f => ((int)f.Priority, f.Sequence))!;
            if (victim.Priority <= frame.Priority)
            {
                FramesRefused++;
                return false;
            }

            _queue.Remove(victim);
            FramesRefused++;
        }

        frame.Sequence = _sequence++;
        _queue.Add(frame);
        return true;
    }

    /// <summary>Removes queued frames that match; returns how many.</summary>
    public int Cancel(Predicate<ScheduledFrame> match) => _queue.RemoveAll(match);

    /// <summary>
    /// Takes the next frame to send now, if there is one and the budget has room. The caller sends it, then reports
    /// with <see cref="RecordTransmission"/>.
    /// </summary>
    public bool TryDequeue(out ScheduledFrame? frame)
    {
        frame = null;
        var now = _clock.GetUtcNow();
        var next = NextReady(now);
        if (next is null || Delay(next, now) != TimeSpan.Zero)
        {
            return false;
        }

        _queue.Remove(next);
        frame = next;
        return true;
    }

    /// <summary>When a frame could next be taken: null when nothing is queued.</summary>
    public DateTimeOffset? NextAttemptAt()
    {
        if (_queue.Count == 0)
        {
            return null;
        }

        var now = _clock.GetUtcNow();
        var ready = NextReady(now);
        if (ready is null)
        {
            return _queue.Min(f => f.NotBefore);
        }

        var delay = Delay(ready, now);
        return now + (delay ?? _options.Region.Window);
    }

    /// <summary>Accounts a frame that went on air.</summary>
    public void RecordTransmission(ScheduledFrame frame, TimeSpan? measuredAirtime = null)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var now = _clock.GetUtcNow();
        var airtime = measuredAirtime ?? frame.Airtime;
        _budget.Add(now, airtime);
        _byPriority[frame.Priority].Add(now, airtime);
        FramesSent++;
        var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        if (_hours.Last is { } last && last.Value.HourStart == hour)
        {
            last.Value = last.Value with { Airtime = last.Value.Airtime + airtime, Frames = last.Value.Frames + 1 };
        }
        else
        {
            _hours.AddLast(new HourlyAirtime(hour, airtime, 1));
            while (_hours.Count > _options.HistoryHours)
            {
                _hours.RemoveFirst();
            }
        }
    }

    /// <summary>The budget for the admin.</summary>
    public AirtimeUsage Usage()
    {
        var now = _clock.GetUtcNow();
        return new AirtimeUsage(
            _options.Region.Name,
            _options.Preset.Name,
            _budget.Used(now),
            _options.Region.Allowance,
            UsableAllowance,
            _byPriority.ToDictionary(p => p.Key, p => p.Value.Used(now)),
            FramesSent,
            FramesRefused,
            _queue.Count,
            [.. _hours]);
    }

    private ScheduledFrame? NextReady(DateTimeOffset now)
    {
        ScheduledFrame? best = null;
        foreach (var frame in _queue)
        {
            if (frame.NotBefore <= now && (best is null || frame.Priority < best.Priority || (frame.Priority == best.Priority && frame.Sequence < best.Sequence)))
            {
                best = frame;
            }
        }

        return best;
    }

    private TimeSpan? Delay(ScheduledFrame frame, DateTimeOffset now)
    {
        var limit = UsableAllowance;
        if (frame.Priority == TransmitPriority.Background)
        {
            limit *= _options.BackgroundShare;
        }

        return _options.Region.DutyCycle >= 1 ? TimeSpan.Zero : _budget.Delay(now, frame.Airtime, limit);
    }
}
