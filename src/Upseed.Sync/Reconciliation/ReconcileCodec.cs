namespace Upseed.Sync.Reconciliation;

/// <summary>Whole-message encode and decode of reconciliation ranges as values (see <see cref="ReconcileRange"/>).</summary>
public static class ReconcileCodec
{
    /// <exception cref="SyncProtocolException">The message is malformed or over a limit.</exception>
    public static IReadOnlyList<ReconcileRange> Decode(ReadOnlySpan<byte> message, ReconcileOptions? options = null)
    {
        var reader = new ReconcileReader(message, options ?? ReconcileOptions.Default);
        var ranges = new List<ReconcileRange>();
        while (reader.TryRead(out var range))
        {
            var entries = new ulong[range.Mode is RangeMode.Summary or RangeMode.Skip ? 0 : range.Count];
            if (range.Mode == RangeMode.NeedIndexes)
            {
                var i = 0;
                foreach (var index in range.Indexes)
                {
                    entries[i++] = (ulong)index;
                }
            }
            else
            {
                for (var i = 0; i < entries.Length; i++)
                {
                    entries[i] = range.HashAt(i);
                }
            }

            ranges.Add(new ReconcileRange(range.Bound, range.Mode, range.Summary, entries));
        }

        return ranges;
    }

    /// <exception cref="ArgumentException">Bounds out of order, or entries that do not fit their mode.</exception>
    public static byte[] Encode(IEnumerable<ReconcileRange> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        var writer = new ReconcileWriter();
        var previous = SyncBound.Zero;
        foreach (var range in ranges)
        {
            if (range.Bound.CompareTo(previous) <= 0)
            {
                throw new ArgumentException("Range bounds must ascend.", nameof(ranges));
            }

            previous = range.Bound;
            var entries = range.Entries.ToArray();
            switch (range.Mode)
            {
                case RangeMode.Skip:
                    writer.Skip(range.Bound);
                    break;
                case RangeMode.Summary:
                    writer.Summary(range.Bound, range.Summary with { Sum = range.Summary.Sum & RangeSummary.SumMask, Check = range.Summary.Check & RangeSummary.CheckMask });
                    break;
                case RangeMode.HashList:
                    writer.HashList(range.Bound, entries.Select(e => e & RangeSummary.SumMask).ToArray());
                    break;
                case RangeMode.NeedHashes:
                    writer.NeedHashes(range.Bound, entries.Select(e => e & RangeSummary.SumMask).ToArray());
                    break;
                case RangeMode.NeedIndexes:
                    writer.NeedIndexes(range.Bound, entries.Select(e => checked((int)e)).ToArray());
                    break;
                default:
                    throw new ArgumentException($"Unknown mode {range.Mode}.", nameof(ranges));
            }
        }

        return writer.Written.ToArray();
    }
}
