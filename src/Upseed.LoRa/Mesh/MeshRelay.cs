using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Upseed.LoRa.Airtime;
using Upseed.LoRa.Frames;
using Upseed.LoRa.Radio;
using Upseed.Metainfo;
using Upseed.Records;

namespace Upseed.LoRa.Mesh;

/// <summary>
/// What a box puts on air and what it does with what it hears: the session layer of the LoRa mesh. It is a state
/// machine with no I/O and no threads of its own: <see cref="OnPacket"/> feeds it what the radio heard,
/// <see cref="TryTakeFrame"/> hands out the next frame the airtime budget allows, <see cref="OnFrameSent"/> reports
/// the send, and <see cref="NextWakeAt"/> says when it next has something to do. <see cref="MeshRelayPump"/> drives
/// it over a real <see cref="IRadioLink"/>; the simulator drives it on a virtual clock. Not thread-safe.
/// <list type="bullet">
/// <item>A record goes on air once per mesh: every box remembers recent record ids; a relay or repair it has queued is
/// dropped when it hears another box send the same record first.</item>
/// <item>Store and forward at the app layer with a hop budget (<see cref="OnAirPolicy.HopBudget"/>): a box relays a
/// record it has verified and stored, never raw fragments, so a forged or broken record dies at the first box.</item>
/// <item>Loss is repaired hop by hop: a box missing fragments asks for them (a want frame), a box that hears no
/// neighbour relay what it sent sends it again, and a periodic have digest of recent ids lets neighbours ask for
/// what they missed entirely: summaries, never a full sync.</item>
/// </list>
/// </summary>
public sealed partial class MeshRelay
{
    private readonly IMeshRecordSink _sink;
    private readonly OnAirPolicy _policy;
    private readonly MeshRelayOptions _options;
    private readonly AirtimeScheduler _scheduler;
    private readonly TimeProvider _clock;
    private readonly Random _random;
    private readonly ILogger _logger;
    private readonly FrameAssembler _assembler;
    private readonly Dictionary<uint, KnownRecord> _known = [];
    private readonly LinkedList<uint> _knownOrder = new();
    private readonly Dictionary<uint, DateTimeOffset> _neighbours = [];
    private readonly Dictionary<uint, (DateTimeOffset At, int Count)> _requested = [];
    private DateTimeOffset _nextDigestAt;

    /// <param name="localNode">This box's radio node number.</param>
    /// <param name="maxPayload">The link's largest payload (<see cref="IRadioLink.MaxPayloadSize"/>).</param>
    /// <param name="sink">Where arriving records are validated and stored.</param>
    /// <param name="policy">What goes on air; null for the defaults.</param>
    /// <param name="options">Timing; null for the defaults.</param>
    /// <param name="scheduler">The airtime budget; the relay owns what it queues there.</param>
    /// <param name="clock">The clock (virtual in the simulator).</param>
    /// <param name="random">Jitter source; seeded in tests and the simulator.</param>
    /// <param name="logger">Logging; null for none.</param>
    public MeshRelay(
        uint localNode,
        int maxPayload,
        IMeshRecordSink sink,
        OnAirPolicy? policy,
        MeshRelayOptions? options,
        AirtimeScheduler scheduler,
        TimeProvider clock,
        Random? random = null,
        ILogger? logger = null)
    {
        LocalNode = localNode;
        _sink = sink ?? throw new ArgumentNullException(nameof(sink));
        _policy = policy ?? new OnAirPolicy();
        _options = options ?? new MeshRelayOptions();
        _scheduler = scheduler ?? throw new ArgumentNullException(nameof(scheduler));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _random = random ?? new Random();
        _logger = logger ?? NullLogger.Instance;
        _assembler = new FrameAssembler(clock: clock);
        PayloadSize = Math.Min(scheduler.MaxPayloadWithinDwell(maxPayload), MeshFrameCodec.MaxPayloadSize);
        if (_policy.HopBudget is < 0 or > MeshFrameCodec.MaxHops)
        {
            throw new ArgumentOutOfRangeException(nameof(policy), $"The hop budget is 0 to {MeshFrameCodec.MaxHops}.");
        }

        _nextDigestAt = clock.GetUtcNow() + Jitter(_policy.DigestInterval);
    }

    public uint LocalNode { get; }

    /// <summary>The payload size frames are cut to: the link's, or less when the region's dwell limit demands.</summary>
    public int PayloadSize { get; }

    public MeshRelayStatistics Statistics { get; } = new();

    /// <summary>The airtime budget, for the admin.</summary>
    public AirtimeUsage Usage() => _scheduler.Usage();

    /// <summary>Nodes heard within <see cref="MeshRelayOptions.NeighbourLifetime"/>.</summary>
    public IReadOnlyCollection<uint> Neighbours()
    {
        var now = _clock.GetUtcNow();
        return [.. _neighbours.Where(n => now - n.Value <= _options.NeighbourLifetime).Select(n => n.Key)];
    }

    /// <summary>
    /// Offers a record for the air: this box's own (<paramref name="own"/>: sent first, never suppressed), or one it
    /// got another way (MQTT, BitTorrent) that the mesh may not have yet (sent as a relay, dropped if heard on air
    /// first). Returns why not when the policy keeps it off the air.
    /// </summary>
    public OnAirDecision Publish(SignedRecord record, bool own)
    {
        ArgumentNullException.ThrowIfNull(record);
        var now = _clock.GetUtcNow();
        var decision = _policy.Evaluate(record, now);
        if (decision != OnAirDecision.Allowed)
        {
            return decision;
        }

        if (PayloadSize <= MeshFrameCodec.FragmentHeaderSize)
        {
            return OnAirDecision.NoAirtime;
        }

        var messageId = MeshFrameCodec.MessageIdOf(record.Id);
        if (_known.TryGetValue(messageId, out var existing))
        {
            return existing.Id == record.Id ? OnAirDecision.Allowed : OnAirDecision.TooLarge;
        }

        var compact = CompactRecordCodec.Encode(record);
        var count = MeshFrameCodec.FragmentCount(compact.Length, PayloadSize);
        if (count == 0 || count > _policy.MaxFrames)
        {
            return OnAirDecision.TooLarge;
        }

        var known = Remember(record, messageId, compact, count, own, eligible: true);
        known.HopsOut = _policy.HopBudget;
        known.ExpectsRelay = own;
        _assembler.MarkCompleted(messageId);
        var priority = !own ? TransmitPriority.Relayed : record.Kind == RecordKind.Vote ? TransmitPriority.OwnVote : TransmitPriority.OwnRecord;
        EnqueueFragments(known, AllFragments(count), priority, own ? now : now + Jitter(_options.MaxJitter));
        return OnAirDecision.Allowed;
    }

    /// <summary>Takes what the radio heard. Never throws on what is in the packet.</summary>
    public void OnPacket(ReceivedRadioPacket packet)
    {
        ArgumentNullException.ThrowIfNull(packet);
        var now = _clock.GetUtcNow();
        Statistics.PacketsHeard++;
        if (packet.From != LocalNode)
        {
            _neighbours[packet.From] = now;
        }

        if (MeshFrameCodec.TryRead(packet.Payload, out var frame) != MeshFrameError.None)
        {
            Statistics.NotFrames++;
            return;
        }

        switch (frame.Type)
        {
            case MeshFrameType.RecordFragment:
                OnFragment(packet.From, frame, now);
                break;
            case MeshFrameType.Have:
                OnHave(packet.From, MeshFrameCodec.ReadHave(frame), now);
                break;
            case MeshFrameType.Want:
                OnWant(MeshFrameCodec.ReadWant(frame), now);
                break;
        }
    }

    /// <summary>The next frame to send now, if any: timers are served first (repairs, retransmissions, the digest).</summary>
    public bool TryTakeFrame(out ScheduledFrame? frame)
    {
        Service(_clock.GetUtcNow());
        return _scheduler.TryDequeue(out frame);
    }

    /// <summary>Reports a send handed out by <see cref="TryTakeFrame"/>.</summary>
    public void OnFrameSent(ScheduledFrame frame, RadioSendResult result)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var now = _clock.GetUtcNow();
        if (!result.IsSent)
        {
            Statistics.SendsRefused++;
            if (result.Status is RadioSendStatus.DutyCycleLimited or RadioSendStatus.NotConnected)
            {
                // The radio's own accounting (other apps share it) or a reconnect: try again later, once.
                _scheduler.TryEnqueue(frame with { NotBefore = now + TimeSpan.FromMinutes(1) });
            }

            return;
        }

        _scheduler.RecordTransmission(frame, result.Airtime);
        Statistics.FramesSent++;
        if (frame.Type == MeshFrameType.Have)
        {
            Statistics.DigestsSent++;
        }

        if (frame.Type != MeshFrameType.RecordFragment || !_known.TryGetValue(frame.MessageId, out var known))
        {
            return;
        }

        known.LastSentAt = now;
        if (known.ExpectsRelay && known.HopsOut > 0 && !_scheduler.Queued.Any(f => f.Type == MeshFrameType.RecordFragment && f.MessageId == frame.MessageId))
        {
            known.AckDeadline = now + _options.AckTimeout;
        }
    }

    /// <summary>When the relay next has something to do (a frame due, a repair, a retransmission, the digest).</summary>
    public DateTimeOffset NextWakeAt()
    {
        var next = _nextDigestAt;
        if (_scheduler.NextAttemptAt() is { } send && send < next)
        {
            next = send;
        }

        foreach (var partial in _assembler.Partials())
        {
            var due = RepairDue(partial);
            if (due < next && (!_requested.TryGetValue(partial.MessageId, out var asked) || asked.Count < _options.MaxRepairRequests))
            {
                next = due;
            }
        }

        foreach (var known in _known.Values)
        {
            if (known.AckDeadline is { } deadline && deadline < next)
            {
                next = deadline;
            }
        }

        return next;
    }

    /// <summary>Whether a record with this id is among the recent ones this relay knows.</summary>
    public bool Knows(InfoHash id) => _known.TryGetValue(MeshFrameCodec.MessageIdOf(id), out var known) && known.Id == id;

    private void OnFragment(uint from, in MeshFrame frame, DateTimeOffset now)
    {
        if (_known.TryGetValue(frame.MessageId, out var known))
        {
            HeardOnAir(known, from);
            return;
        }

        var status = _assembler.Add(frame, out var message, out var hops);
        if (status != AssemblyStatus.Completed)
        {
            return;
        }

        if (CompactRecordCodec.TryDecode(message, out var canonical) != CompactRecordError.None)
        {
            Refused(frame.MessageId, "it does not decode");
            return;
        }

        var result = _sink.Ingest(canonical);
        if (result.Outcome == MeshIngestOutcome.Rejected || result.Record is not { } record || MeshFrameCodec.MessageIdOf(record.Id) != frame.MessageId)
        {
            Refused(frame.MessageId, "the record was refused");
            return;
        }

        var eligible = _policy.Evaluate(record, now) == OnAirDecision.Allowed && frame.Count <= _policy.MaxFrames;
        known = Remember(record, frame.MessageId, message!, frame.Count, own: false, eligible);
        known.HeardFrom.Add(from);
        known.RelaySources.Add(from);
        if (result.Outcome == MeshIngestOutcome.Duplicate)
        {
            Statistics.RecordsDuplicate++;
            return;
        }

        Statistics.RecordsAccepted++;
        LogAccepted(_logger, record.Id, from, hops);
        if (hops > 0 && eligible)
        {
            known.HopsOut = hops - 1;
            known.ExpectsRelay = true;
            Statistics.RecordsRelayed++;
            EnqueueFragments(known, AllFragments(known.Count), TransmitPriority.Relayed, now + Jitter(_options.MaxJitter));
        }
    }

    private void HeardOnAir(KnownRecord known, uint from)
    {
        known.HeardFrom.Add(from);
        if (known.LastSentAt is not null)
        {
            known.AckDeadline = null; // a neighbour sent it after us: it got through
        }

        // Someone other than the box we had it from sends it: the air has it, our queued relay or repair would repeat
        // it. Own records still go once.
        if (!known.RelaySources.Contains(from) && (!known.Own || known.LastSentAt is not null))
        {
            var cancelled = _scheduler.Cancel(f => f.Type == MeshFrameType.RecordFragment && f.MessageId == known.MessageId);
            if (cancelled > 0)
            {
                Statistics.Suppressed++;
            }
        }
    }

    private void OnHave(uint from, uint[] ids, DateTimeOffset now)
    {
        var wanted = new List<WantEntry>();
        foreach (var id in ids)
        {
            if (_known.TryGetValue(id, out var known))
            {
                known.HeardFrom.Add(from);
                known.AckDeadline = known.LastSentAt is not null ? null : known.AckDeadline;
                continue;
            }

            if (_assembler.IsCompleted(id) || !MayRequest(id, now))
            {
                continue;
            }

            var partial = _assembler.Partials().FirstOrDefault(p => p.MessageId == id);
            wanted.Add(new WantEntry(id, partial.Count > 0 ? partial.MissingFragments : WantEntry.WholeMessage));
        }

        SendWant(wanted, now);
    }

    private void OnWant(WantEntry[] entries, DateTimeOffset now)
    {
        foreach (var entry in entries)
        {
            if (!_known.TryGetValue(entry.MessageId, out var known) || !known.Eligible)
            {
                continue;
            }

            var fragments = Enumerable.Range(0, known.Count).Where(i => (entry.MissingFragments & (1 << i)) != 0).ToList();
            var queued = _scheduler.Queued.Where(f => f.Type == MeshFrameType.RecordFragment && f.MessageId == known.MessageId).Select(f => f.FragmentIndex).ToHashSet();
            fragments.RemoveAll(queued.Contains);
            if (fragments.Count > 0)
            {
                // The box that answers first is heard by the others, which then drop their answer (HeardOnAir):
                // from here on, whoever sends it is a new source.
                known.RelaySources.Clear();
                Statistics.RepairFramesSent += fragments.Count;
                EnqueueFragments(known, fragments, TransmitPriority.Relayed, now + Jitter(_options.MaxJitter));
            }
        }
    }

    private void Service(DateTimeOffset now)
    {
        // Repairs: partial messages idle long enough.
        var wanted = new List<WantEntry>();
        foreach (var partial in _assembler.Partials())
        {
            if (RepairDue(partial) <= now && MayRequest(partial.MessageId, now))
            {
                wanted.Add(new WantEntry(partial.MessageId, partial.MissingFragments));
            }
        }

        SendWant(wanted, now);

        // Passive acknowledgements: no neighbour was heard sending what we sent for relaying.
        foreach (var known in _known.Values)
        {
            if (known.AckDeadline is not { } deadline || deadline > now)
            {
                continue;
            }

            known.AckDeadline = null;
            var neighbours = Neighbours();
            var everyoneHasIt = neighbours.Count > 0 && neighbours.All(known.HeardFrom.Contains);
            if (known.Retransmits < _options.MaxRetransmits && !everyoneHasIt)
            {
                known.Retransmits++;
                Statistics.Retransmissions++;
                EnqueueFragments(known, AllFragments(known.Count), TransmitPriority.Relayed, now + Jitter(_options.MaxJitter));
            }
        }

        // The digest: recent ids, newest first (also a beacon when there are none).
        if (now >= _nextDigestAt)
        {
            _nextDigestAt = now + _policy.DigestInterval + Jitter(_policy.DigestInterval / 10);
            var oldest = (now - _policy.MaxAge).ToUnixTimeSeconds();
            var ids = _known.Values.Where(k => k.Eligible && k.Created >= oldest)
                .OrderByDescending(k => k.Created).Take(_policy.DigestMaxIds).Select(k => k.MessageId).ToArray();
            if (!_scheduler.Queued.Any(f => f.Type == MeshFrameType.Have))
            {
                var have = MeshFrameCodec.EncodeHave(ids, PayloadSize);
                _scheduler.TryEnqueue(new ScheduledFrame(TransmitPriority.Background, Packet(have), now, MeshFrameType.Have));
            }
        }
    }

    private DateTimeOffset RepairDue(PartialMessage partial)
    {
        var due = partial.LastFragmentAt + _options.RepairDelay;
        return _requested.TryGetValue(partial.MessageId, out var asked) && asked.At + _options.RepairInterval > due
            ? asked.At + _options.RepairInterval
            : due;
    }

    private bool MayRequest(uint messageId, DateTimeOffset now) =>
        !_requested.TryGetValue(messageId, out var asked)
        || (asked.Count < _options.MaxRepairRequests && now - asked.At >= _options.RepairInterval);

    private void SendWant(List<WantEntry> wanted, DateTimeOffset now)
    {
        if (wanted.Count == 0)
        {
            return;
        }

        var want = MeshFrameCodec.EncodeWant(wanted.ToArray(), PayloadSize);
        if (_scheduler.TryEnqueue(new ScheduledFrame(TransmitPriority.Relayed, Packet(want), now, MeshFrameType.Want)))
        {
            Statistics.RepairRequestsSent++;
        }

        foreach (var entry in wanted.Take((PayloadSize - 1) / MeshFrameCodec.WantEntrySize))
        {
            var count = _requested.TryGetValue(entry.MessageId, out var asked) ? asked.Count : 0;
            _requested[entry.MessageId] = (now, count + 1);
        }

        if (_requested.Count > _options.MaxKnownRecords)
        {
            foreach (var stale in _requested.OrderBy(r => r.Value.At).Take(_requested.Count - _options.MaxKnownRecords).Select(r => r.Key).ToList())
            {
                _requested.Remove(stale);
            }
        }
    }

    private void Refused(uint messageId, string why)
    {
        Statistics.RecordsRefused++;
        _assembler.Forget(messageId); // a good copy may still come
        LogRefused(_logger, messageId, why);
    }

    private KnownRecord Remember(SignedRecord record, uint messageId, byte[] compact, int count, bool own, bool eligible)
    {
        var known = new KnownRecord(record.Id, messageId, compact, count, record.Created, own) { Eligible = eligible };
        _known[messageId] = known;
        _knownOrder.AddLast(messageId);
        _requested.Remove(messageId);
        while (_knownOrder.Count > _options.MaxKnownRecords)
        {
            var oldest = _knownOrder.First!.Value;
            _knownOrder.RemoveFirst();
            _known.Remove(oldest);
        }

        return known;
    }

    private void EnqueueFragments(KnownRecord known, IEnumerable<int> fragments, TransmitPriority priority, DateTimeOffset notBefore)
    {
        foreach (var index in fragments)
        {
            var payload = MeshFrameCodec.EncodeFragment(known.Compact, known.MessageId, Math.Max(known.HopsOut, 0), index, known.Count);
            _scheduler.TryEnqueue(new ScheduledFrame(priority, Packet(payload), notBefore, MeshFrameType.RecordFragment, known.MessageId, index));
        }
    }

    private static IEnumerable<int> AllFragments(int count) => Enumerable.Range(0, count);

    private RadioPacket Packet(byte[] payload) => new(RadioLinkDefaults.Broadcast, payload, _options.FirmwareHopLimit);

    private TimeSpan Jitter(TimeSpan max) => max * _random.NextDouble();

    [LoggerMessage(Level = LogLevel.Debug, Message = "LoRa: record {Id} from node {From:x8}, {Hops} hops left")]
    private static partial void LogAccepted(ILogger logger, InfoHash id, uint from, int hops);

    [LoggerMessage(Level = LogLevel.Debug, Message = "LoRa: message {MessageId:x8} dropped: {Why}")]
    private static partial void LogRefused(ILogger logger, uint messageId, string why);

    private sealed class KnownRecord(InfoHash id, uint messageId, byte[] compact, int count, long created, bool own)
    {
        public InfoHash Id { get; } = id;

        public uint MessageId { get; } = messageId;

        public byte[] Compact { get; } = compact;

        public int Count { get; } = count;

        public long Created { get; } = created;

        public bool Own { get; } = own;

        /// <summary>The policy lets it on air (records that only passed through are remembered but not sent).</summary>
        public bool Eligible { get; init; }

        /// <summary>Hop budget our own sends carry; -1 until we send it.</summary>
        public int HopsOut { get; set; } = -1;

        /// <summary>Nodes heard sending it (or listing it in a digest).</summary>
        public HashSet<uint> HeardFrom { get; } = [];

        /// <summary>Nodes we had it from: hearing them again does not cancel our relay.</summary>
        public HashSet<uint> RelaySources { get; } = [];

        public DateTimeOffset? LastSentAt { get; set; }

        /// <summary>
        /// Whether a neighbour should be heard relaying our send (else we send it again): for own records and records
        /// relayed from the air, not for ones offered from another path, which the neighbours may well have already.
        /// </summary>
        public bool ExpectsRelay { get; set; }

        public DateTimeOffset? AckDeadline { get; set; }

        public int Retransmits { get; set; }
    }
}
