using System.Buffers.Binary;
using Upseed.Metainfo;

namespace Upseed.Sync.Reconciliation;

/// <summary>
/// Writes the ranges of one reconciliation message into a reusable buffer. Timestamps are delta-coded against the
/// previous bound (Negentropy: 0 = infinity, otherwise 1 + the difference). A <see cref="Mark"/> lets the reconciler
/// take back a range that would overflow the frame.
/// </summary>
public sealed class ReconcileWriter
{
    private byte[] _buffer = new byte[1024];
    private int _length;
    private ulong _lastTimestamp;
    private int _continuing;

    /// <summary>The bytes written since the last <see cref="Reset"/>. Valid until the next write.</summary>
    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, _length);

    public int Length => _length;

    /// <summary>True when a written range asks the receiver to answer (a summary or a hash list).</summary>
    public bool ExpectsReply => _continuing > 0;

    /// <summary>Ranges written that need nothing back but work from the receiver (need lists).</summary>
    public bool HasRequests { get; private set; }

    public void Reset()
    {
        _length = 0;
        _lastTimestamp = 0;
        _continuing = 0;
        HasRequests = false;
    }

    public Mark Save() => new(_length, _lastTimestamp, _continuing, HasRequests);

    public void Restore(Mark mark)
    {
        _length = mark.Length;
        _lastTimestamp = mark.LastTimestamp;
        _continuing = mark.Continuing;
        HasRequests = mark.HasRequests;
    }

    public void Skip(SyncBound bound)
    {
        WriteBound(bound);
        WriteByte((byte)RangeMode.Skip);
    }

    public void Summary(SyncBound bound, RangeSummary summary)
    {
        WriteBound(bound);
        WriteByte((byte)RangeMode.Summary);
        WriteVarint(summary.Count);
        var span = Reserve(RangeSummary.SumSize + RangeSummary.CheckSize);
        WriteUInt48(span, summary.Sum);
        span[6] = (byte)summary.Check;
        span[7] = (byte)(summary.Check >> 8);
        span[8] = (byte)(summary.Check >> 16);
        _continuing++;
    }

    /// <summary>A hash list of the set's items [<paramref name="lower"/>, <paramref name="upper"/>).</summary>
    public void HashList(SyncBound bound, SyncItemSet set, int lower, int upper)
    {
        ArgumentNullException.ThrowIfNull(set);
        WriteBound(bound);
        WriteByte((byte)RangeMode.HashList);
        WriteVarint((ulong)(upper - lower));
        var span = Reserve((upper - lower) * ItemHasher.HashSize);
        for (var i = lower; i < upper; i++)
        {
            WriteUInt48(span[((i - lower) * ItemHasher.HashSize)..], set.Hash(i));
        }

        _continuing++;
    }

    public void HashList(SyncBound bound, ReadOnlySpan<ulong> hashes)
    {
        WriteHashes(bound, RangeMode.HashList, hashes);
        _continuing++;
    }

    public void NeedHashes(SyncBound bound, ReadOnlySpan<ulong> hashes)
    {
        WriteHashes(bound, RangeMode.NeedHashes, hashes);
        HasRequests = true;
    }

    /// <summary>Strictly ascending positions: the first as is, each next as the gap minus one.</summary>
    public void NeedIndexes(SyncBound bound, ReadOnlySpan<int> indexes)
    {
        WriteBound(bound);
        WriteByte((byte)RangeMode.NeedIndexes);
        WriteVarint((ulong)indexes.Length);
        var previous = -1;
        foreach (var index in indexes)
        {
            if (index <= previous)
            {
                throw new ArgumentException("Need indexes must be strictly ascending.", nameof(indexes));
            }

            WriteVarint((ulong)(index - previous - 1));
            previous = index;
        }

        HasRequests = true;
    }

    private void WriteHashes(SyncBound bound, RangeMode mode, ReadOnlySpan<ulong> hashes)
    {
        WriteBound(bound);
        WriteByte((byte)mode);
        WriteVarint((ulong)hashes.Length);
        var span = Reserve(hashes.Length * ItemHasher.HashSize);
        for (var i = 0; i < hashes.Length; i++)
        {
            WriteUInt48(span[(i * ItemHasher.HashSize)..], hashes[i]);
        }
    }

    private void WriteBound(SyncBound bound)
    {
        if (bound.IsInfinity)
        {
            WriteVarint(0);
            _lastTimestamp = ulong.MaxValue;
        }
        else
        {
            if (bound.Timestamp < _lastTimestamp)
            {
                throw new InvalidOperationException("Bounds must ascend.");
            }

            WriteVarint(bound.Timestamp - _lastTimestamp + 1);
            _lastTimestamp = bound.Timestamp;
        }

        WriteByte((byte)bound.PrefixLength);
        if (bound.PrefixLength > 0)
        {
            Span<byte> id = stackalloc byte[InfoHash.Size];
            bound.Prefix.CopyTo(id);
            id[..bound.PrefixLength].CopyTo(Reserve(bound.PrefixLength));
        }
    }

    private void WriteVarint(ulong value) => Varint.Write(Reserve(Varint.Length(value)), value);

    private void WriteByte(byte value) => Reserve(1)[0] = value;

    private static void WriteUInt48(Span<byte> destination, ulong value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination, (uint)value);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[4..], (ushort)(value >> 32));
    }

    private Span<byte> Reserve(int count)
    {
        if (_length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + count));
        }

        var span = _buffer.AsSpan(_length, count);
        _length += count;
        return span;
    }

    /// <summary>A position to go back to.</summary>
    public readonly record struct Mark(int Length, ulong LastTimestamp, int Continuing, bool HasRequests);
}
