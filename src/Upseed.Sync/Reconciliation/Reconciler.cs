namespace Upseed.Sync.Reconciliation;

/// <summary>
/// One side of a range-based set reconciliation (Negentropy's algorithm, PROTOCOLS.md §6, with the changes below).
/// The initiator sends <see cref="Initiate"/>'s message; each side then answers the other's message with
/// <see cref="Process"/> until the initiator's answer expects no reply. Both sides learn which of their own items
/// the other lacks (they send those records) and ask for the ones they lack in the same messages, so when the last
/// message is read both sets can become the union.
/// <para>
/// Changes from Negentropy v1, for 20-byte ids and fewer bytes: ranges are compared by a <see cref="RangeSummary"/>
/// (count, sum of salted 48-bit hashes, 24-bit check; 10–11 bytes against a 16-byte fingerprint), which also finds a
/// range's single missing item at once; item lists carry 6-byte salted hashes, and the answer to a list is the
/// positions the receiver lacks, not its own list; a differing range is split into as many parts as the differences
/// it is estimated to hold (from the share of the last message's ranges that differed), so a dense difference is
/// not split sixteen ways level after level.
/// </para>
/// Not thread-safe: one reconciliation, one caller.
/// </summary>
public sealed class Reconciler
{
    // Room kept under the frame limit for the range that summarises the rest and for the message header.
    private const int FrameMargin = 128;

    private readonly SyncItemSet _set;
    private readonly ReconcileOptions _options;
    private readonly ReconcileWriter _writer = new();
    private readonly List<int> _needIndexes = [];
    private readonly HashSet<ulong> _scratch = [];
    private double _density = -1;

    public Reconciler(SyncItemSet set, bool isInitiator, ReconcileOptions? options = null)
    {
        _set = set ?? throw new ArgumentNullException(nameof(set));
        _options = options ?? ReconcileOptions.Default;
        _options.Validate();
        IsInitiator = isInitiator;
    }

    public bool IsInitiator { get; }

    /// <summary>Messages processed so far.</summary>
    public int Rounds { get; private set; }

    /// <summary>Items this side asked for (by hash or position, or whole ranges "send me all" as their counts).</summary>
    public long Requested { get; private set; }

    /// <summary>The initiator's first message: the whole set in <see cref="ReconcileOptions.InitialBuckets"/> ranges.</summary>
    /// <returns>The message bytes, valid until the next call.</returns>
    public ReadOnlyMemory<byte> Initiate()
    {
        if (!IsInitiator)
        {
            throw new InvalidOperationException("Only the initiator starts a reconciliation.");
        }

        _writer.Reset();
        Split(0, _set.Count, SyncBound.Infinity, _options.InitialBuckets);
        return _writer.Written;
    }

    /// <summary>
    /// Reads the peer's message, adds to <paramref name="haves"/> the positions (in this side's set) of items the
    /// peer lacks, and writes the answer.
    /// </summary>
    /// <returns>
    /// The answer, valid until the next call. When <see cref="ReconcileAnswer.ExpectsReply"/> is false the peer owes
    /// no answer to it: an initiator is then done once it has sent it (if it holds requests) or straight away.
    /// </returns>
    /// <exception cref="SyncProtocolException">The message is malformed or refers to items that cannot exist.</exception>
    public ReconcileAnswer Process(ReadOnlySpan<byte> message, List<int> haves)
    {
        ArgumentNullException.ThrowIfNull(haves);
        Rounds++;
        Survey(message);
        _writer.Reset();
        var reader = new ReconcileReader(message, _options);
        var prevIndex = 0;
        var prevBound = SyncBound.Zero;
        var skipPending = false;
        while (reader.TryRead(out var range))
        {
            var lower = prevIndex;
            var upper = _set.LowerBound(lower, _set.Count, range.Bound);
            var mark = _writer.Save();
            var havesBefore = haves.Count;
            var requestedBefore = Requested;
            var skipBefore = skipPending;
            var settled = Answer(range, lower, upper, haves, ref skipPending, prevBound);
            if (_writer.Length > _options.FrameSizeLimit - FrameMargin && mark.Length > 0)
            {
                // Too big: take this range back and summarise everything from its start in one range; the peer
                // compares it and the rest is settled in later rounds (Negentropy's frameSizeLimit).
                _writer.Restore(mark);
                haves.RemoveRange(havesBefore, haves.Count - havesBefore);
                Requested = requestedBefore;
                if (skipBefore)
                {
                    _writer.Skip(prevBound);
                }

                _writer.Summary(SyncBound.Infinity, _set.Summary(lower, _set.Count));
                break;
            }

            skipPending |= settled;
            prevIndex = upper;
            prevBound = range.Bound;
        }

        return new ReconcileAnswer(_writer.Written, _writer.ExpectsReply, _writer.HasRequests);
    }

    // Handles one range. Returns true when it needs no answer (it joins a pending skip); otherwise it has written the
    // pending skip, if any, and its answer.
    private bool Answer(RangeView range, int lower, int upper, List<int> haves, ref bool skipPending, SyncBound prevBound)
    {
        switch (range.Mode)
        {
            case RangeMode.Skip:
                return true;

            case RangeMode.Summary:
                var ours = _set.Summary(lower, upper);
                var theirs = range.Summary;
                if (ours == theirs)
                {
                    return true;
                }

                if (theirs.Count == 0)
                {
                    AddRange(haves, lower, upper);
                    return true;
                }

                if (ours.Count == 0)
                {
                    // An empty list: "I have none here, send me yours".
                    FlushSkip(ref skipPending, prevBound);
                    _writer.HashList(range.Bound, _set, lower, lower);
                    Requested += (long)Math.Min(theirs.Count, int.MaxValue);
                    return false;
                }

                if (RangeSummary.TryFindSingleDifference(theirs, ours, out var missing))
                {
                    FlushSkip(ref skipPending, prevBound);
                    _writer.NeedHashes(range.Bound, [missing]);
                    Requested++;
                    return false;
                }

                if (RangeSummary.TryFindSingleDifference(ours, theirs, out var extra) && _set.IndexOfHash(lower, upper, extra) is var found and >= 0)
                {
                    haves.Add(found);
                    return true;
                }

                FlushSkip(ref skipPending, prevBound);
                Split(lower, upper, range.Bound, Buckets(upper - lower));
                return false;

            case RangeMode.HashList:
                _needIndexes.Clear();
                CompareList(range, lower, upper, haves);
                if (_needIndexes.Count == 0)
                {
                    return true;
                }

                FlushSkip(ref skipPending, prevBound);
                _writer.NeedIndexes(range.Bound, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_needIndexes));
                Requested += _needIndexes.Count;
                return false;

            case RangeMode.NeedIndexes:
                foreach (var index in range.Indexes)
                {
                    if (index >= upper - lower)
                    {
                        SyncProtocolException.Throw($"need index {index} is past the {upper - lower} items listed in the range");
                    }

                    haves.Add(lower + index);
                }

                return true;

            case RangeMode.NeedHashes:
                for (var i = 0; i < range.Count; i++)
                {
                    // A candidate that is not here came from a rare false decode on the other side: nothing to send.
                    if (_set.IndexOfHash(lower, upper, range.HashAt(i)) is var at and >= 0)
                    {
                        haves.Add(at);
                    }
                }

                return true;

            default:
                throw new InvalidOperationException("The reader returned an unknown mode.");
        }
    }

    private void FlushSkip(ref bool skipPending, SyncBound prevBound)
    {
        if (skipPending)
        {
            _writer.Skip(prevBound);
            skipPending = false;
        }
    }

    // Our items the list lacks go to haves; list entries we lack go to _needIndexes.
    private void CompareList(RangeView range, int lower, int upper, List<int> haves)
    {
        var ours = upper - lower;
        if ((long)range.Count * ours <= 256)
        {
            for (var i = lower; i < upper; i++)
            {
                var hash = _set.Hash(i);
                var listed = false;
                for (var j = 0; j < range.Count && !listed; j++)
                {
                    listed = range.HashAt(j) == hash;
                }

                if (!listed)
                {
                    haves.Add(i);
                }
            }

            for (var j = 0; j < range.Count; j++)
            {
                if (_set.IndexOfHash(lower, upper, range.HashAt(j)) < 0)
                {
                    _needIndexes.Add(j);
                }
            }

            return;
        }

        // Long lists (only a peer tuned differently sends them): hash sets instead of nested loops.
        _scratch.Clear();
        for (var j = 0; j < range.Count; j++)
        {
            _scratch.Add(range.HashAt(j));
        }

        for (var i = lower; i < upper; i++)
        {
            if (!_scratch.Contains(_set.Hash(i)))
            {
                haves.Add(i);
            }
        }

        _scratch.Clear();
        for (var i = lower; i < upper; i++)
        {
            _scratch.Add(_set.Hash(i));
        }

        for (var j = 0; j < range.Count; j++)
        {
            if (!_scratch.Contains(range.HashAt(j)))
            {
                _needIndexes.Add(j);
            }
        }

        _scratch.Clear();
    }

    private static void AddRange(List<int> haves, int lower, int upper)
    {
        for (var i = lower; i < upper; i++)
        {
            haves.Add(i);
        }
    }

    // Splits our items [lower, upper) into `buckets` summarised ranges, or lists them when there are few.
    private void Split(int lower, int upper, SyncBound upperBound, int buckets)
    {
        var n = upper - lower;
        // A range of one item cannot be split, and re-sending it whole would loop: it is always listed.
        if (n <= Math.Max(1, _options.HashListThreshold))
        {
            _writer.HashList(upperBound, _set, lower, upper);
            return;
        }

        buckets = Math.Min(buckets, n);
        var per = n / buckets;
        var extra = n % buckets;
        var current = lower;
        for (var i = 0; i < buckets; i++)
        {
            var next = current + per + (i < extra ? 1 : 0);
            var bound = next == upper ? upperBound : SyncBound.Between(_set[next - 1], _set[next]);
            _writer.Summary(bound, _set.Summary(current, next));
            current = next;
        }
    }

    // Aim for about one difference per part: a range known to differ holds at least two (one would have been
    // decoded), more when the last message showed differences to be dense.
    private int Buckets(int items)
    {
        if (_density < 0)
        {
            return _options.InitialBuckets;
        }

        var expected = Math.Max(2.0, _density * items);
        return (int)Math.Clamp(Math.Round(expected), 2, _options.MaxBuckets);
    }

    // First pass over a message: validates all of it (so a bad message changes nothing) and estimates how dense the
    // differences are from the share of its summaries that differ from ours.
    private void Survey(ReadOnlySpan<byte> message)
    {
        var reader = new ReconcileReader(message, _options);
        var prevIndex = 0;
        long compared = 0;
        long differing = 0;
        double items = 0;
        while (reader.TryRead(out var range))
        {
            var upper = _set.LowerBound(prevIndex, _set.Count, range.Bound);
            if (range.Mode == RangeMode.Summary)
            {
                var ours = _set.Summary(prevIndex, upper);
                compared++;
                if (ours != range.Summary)
                {
                    differing++;
                }

                items += Math.Max(ours.Count, range.Summary.Count);
            }

            prevIndex = upper;
        }

        if (compared > 0 && items > 0)
        {
            var share = Math.Min((double)differing / compared, 1 - (1.0 / (2 * compared)));
            var perRange = -Math.Log(1 - share);
            _density = perRange / (items / compared);
        }
    }
}
