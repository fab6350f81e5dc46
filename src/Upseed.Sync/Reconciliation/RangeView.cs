using System.Buffers.Binary;

namespace Upseed.Sync.Reconciliation;

/// <summary>One decoded range, viewed in place over the message bytes (no copies). Valid while the message is.</summary>
public readonly ref struct RangeView
{
    private readonly ReadOnlySpan<byte> _payload;

    internal RangeView(SyncBound bound, RangeMode mode, RangeSummary summary, int count, ReadOnlySpan<byte> payload)
    {
        Bound = bound;
        Mode = mode;
        Summary = summary;
        Count = count;
        _payload = payload;
    }

    public SyncBound Bound { get; }

    public RangeMode Mode { get; }

    /// <summary>For <see cref="RangeMode.Summary"/>.</summary>
    public RangeSummary Summary { get; }

    /// <summary>Entries in a hash list, need-hash list or need-index list.</summary>
    public int Count { get; }

    /// <summary>Entry <paramref name="index"/> of a hash list or need-hash list.</summary>
    public ulong HashAt(int index)
    {
        var at = _payload.Slice(index * ItemHasher.HashSize, ItemHasher.HashSize);
        return BinaryPrimitives.ReadUInt32LittleEndian(at) | ((ulong)BinaryPrimitives.ReadUInt16LittleEndian(at[4..]) << 32);
    }

    /// <summary>The positions of a need-index list, ascending (already checked when the range was read).</summary>
    public IndexEnumerator Indexes => new(_payload, Count);

    /// <summary>Walks a need-index list's gap-coded positions.</summary>
    public ref struct IndexEnumerator
    {
        private ReadOnlySpan<byte> _rest;
        private int _left;
        private long _current;

        internal IndexEnumerator(ReadOnlySpan<byte> payload, int count)
        {
            _rest = payload;
            _left = count;
            _current = -1;
        }

        public readonly int Current => (int)_current;

        public readonly IndexEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_left == 0)
            {
                return false;
            }

            Varint.TryRead(_rest, out var gap, out var used);
            _rest = _rest[used..];
            _current += (long)gap + 1;
            _left--;
            return true;
        }
    }
}
