namespace Upseed.LoRa.Frames;

/// <summary>
/// Reassembles record fragments into messages despite loss, reordering and duplicates, with bounded memory: a fixed
/// number of partial messages, each expiring after a while, and a bounded memory of completed ids. Fragments of
/// different messages may interleave freely. Not thread-safe: one radio, one reader.
/// </summary>
public sealed class FrameAssembler
{
    private readonly FrameAssemblerOptions _options;
    private readonly TimeProvider _clock;
    private readonly Dictionary<uint, Partial> _partials = [];
    private readonly HashSet<uint> _completed = [];
    private readonly Queue<uint> _completedOrder = new();

    public FrameAssembler(FrameAssemblerOptions? options = null, TimeProvider? clock = null)
    {
        _options = options ?? new FrameAssemblerOptions();
        _clock = clock ?? TimeProvider.System;
    }

    /// <summary>Messages being reassembled now.</summary>
    public int PendingCount => _partials.Count;

    /// <summary>
    /// Adds a fragment. On <see cref="AssemblyStatus.Completed"/>, <paramref name="message"/> holds the message and
    /// <paramref name="hops"/> the largest hop budget any of its fragments carried.
    /// </summary>
    public AssemblyStatus Add(in MeshFrame frame, out byte[]? message, out int hops)
    {
        message = null;
        hops = 0;
        if (frame.Type != MeshFrameType.RecordFragment || frame.Count is < 1 or > MeshFrameCodec.MaxFragments || frame.Index >= frame.Count)
        {
            return AssemblyStatus.NotAFragment;
        }

        if (_completed.Contains(frame.MessageId))
        {
            return AssemblyStatus.Duplicate;
        }

        var now = _clock.GetUtcNow();
        Expire(now);
        var status = AssemblyStatus.Pending;
        if (_partials.TryGetValue(frame.MessageId, out var partial) && partial.Fragments.Length != frame.Count)
        {
            _partials.Remove(frame.MessageId);
            partial = null;
            status = AssemblyStatus.Restarted;
        }

        if (partial is null)
        {
            if (frame.Count == 1)
            {
                MarkCompleted(frame.MessageId);
                message = frame.Body.ToArray();
                hops = frame.Hops;
                return AssemblyStatus.Completed;
            }

            if (_partials.Count >= _options.MaxPendingMessages)
            {
                var idlest = _partials.Values.MinBy(p => p.LastFragmentAt)!;
                _partials.Remove(idlest.MessageId);
            }

            partial = new Partial(frame.MessageId, frame.Count);
            _partials[frame.MessageId] = partial;
        }

        if (partial.Fragments[frame.Index] is not null)
        {
            partial.Hops = Math.Max(partial.Hops, frame.Hops);
            return status == AssemblyStatus.Restarted ? status : AssemblyStatus.Duplicate;
        }

        partial.Fragments[frame.Index] = frame.Body.ToArray();
        partial.Received++;
        partial.Hops = Math.Max(partial.Hops, frame.Hops);
        partial.LastFragmentAt = now;
        if (partial.Received < partial.Fragments.Length)
        {
            return status;
        }

        _partials.Remove(frame.MessageId);
        MarkCompleted(frame.MessageId);
        message = new byte[partial.Fragments.Sum(f => f!.Length)];
        var offset = 0;
        foreach (var fragment in partial.Fragments)
        {
            fragment!.CopyTo(message, offset);
            offset += fragment.Length;
        }

        hops = partial.Hops;
        return AssemblyStatus.Completed;
    }

    /// <summary>True when the message was completed here (or marked so) and is still remembered.</summary>
    public bool IsCompleted(uint messageId) => _completed.Contains(messageId);

    /// <summary>Records a message as delivered by other means (sent by this box, or a record it already holds).</summary>
    public void MarkCompleted(uint messageId)
    {
        _partials.Remove(messageId);
        if (!_completed.Add(messageId))
        {
            return;
        }

        _completedOrder.Enqueue(messageId);
        while (_completedOrder.Count > _options.CompletedMemory)
        {
            _completed.Remove(_completedOrder.Dequeue());
        }
    }

    /// <summary>
    /// Forgets a completed message, so it can be received again (its record was refused, for example: a corrupted
    /// mix of fragments must not block a good copy).
    /// </summary>
    public void Forget(uint messageId) => _completed.Remove(messageId);

    /// <summary>The partial messages, after dropping expired ones.</summary>
    public IReadOnlyList<PartialMessage> Partials()
    {
        Expire(_clock.GetUtcNow());
        return [.. _partials.Values.Select(p => new PartialMessage(p.MessageId, p.Fragments.Length, p.MissingMask(), p.Hops, p.LastFragmentAt))];
    }

    private void Expire(DateTimeOffset now)
    {
        if (_partials.Count == 0)
        {
            return;
        }

        foreach (var stale in _partials.Values.Where(p => now - p.LastFragmentAt > _options.PartialLifetime).Select(p => p.MessageId).ToList())
        {
            _partials.Remove(stale);
        }
    }

    private sealed class Partial(uint messageId, int count)
    {
        public uint MessageId { get; } = messageId;

        public byte[]?[] Fragments { get; } = new byte[count][];

        public int Received { get; set; }

        public int Hops { get; set; }

        public DateTimeOffset LastFragmentAt { get; set; }

        public ushort MissingMask()
        {
            var mask = 0;
            for (var i = 0; i < Fragments.Length; i++)
            {
                if (Fragments[i] is null)
                {
                    mask |= 1 << i;
                }
            }

            return (ushort)mask;
        }
    }
}
