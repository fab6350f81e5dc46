using Upseed.Metainfo;

namespace Upseed.Sync.Reconciliation;

/// <summary>
/// Reads the ranges of a reconciliation message, strictly: bounds must ascend and nothing may follow infinity,
/// modes must be known, list lengths are checked against the options and against the bytes left before anything is
/// read, indexes must ascend and fit 31 bits. A violation throws <see cref="SyncProtocolException"/>; the session
/// closes the connection.
/// </summary>
public ref struct ReconcileReader
{
    private readonly ReconcileOptions _options;
    private ReadOnlySpan<byte> _rest;
    private ulong _lastTimestamp;
    private SyncBound _previous;
    private bool _ended;
    private int _ranges;

    public ReconcileReader(ReadOnlySpan<byte> message, ReconcileOptions options)
    {
        _rest = message;
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _lastTimestamp = 0;
        _previous = SyncBound.Zero;
        _ended = false;
        _ranges = 0;
    }

    /// <summary>Reads the next range; false at the end of the message.</summary>
    /// <exception cref="SyncProtocolException">The range is malformed or breaks a limit.</exception>
    public bool TryRead(out RangeView range)
    {
        range = default;
        if (_rest.IsEmpty)
        {
            return false;
        }

        if (_ended)
        {
            SyncProtocolException.Throw("a range follows the infinity bound");
        }

        if (++_ranges > _options.MaxRanges)
        {
            SyncProtocolException.Throw($"more than {_options.MaxRanges} ranges");
        }

        var bound = ReadBound();
        if (bound.CompareTo(_previous) <= 0)
        {
            SyncProtocolException.Throw("range bounds do not ascend");
        }

        _previous = bound;
        _ended = bound.IsInfinity;
        var mode = (RangeMode)ReadByte();
        switch (mode)
        {
            case RangeMode.Skip:
                range = new RangeView(bound, mode, default, 0, default);
                break;
            case RangeMode.Summary:
                var count = ReadVarint();
                var bytes = Take(RangeSummary.SumSize + RangeSummary.CheckSize);
                var sum = ((ulong)bytes[0]) | ((ulong)bytes[1] << 8) | ((ulong)bytes[2] << 16) | ((ulong)bytes[3] << 24)
                    | ((ulong)bytes[4] << 32) | ((ulong)bytes[5] << 40);
                var check = (uint)(bytes[6] | (bytes[7] << 8) | (bytes[8] << 16));
                range = new RangeView(bound, mode, new RangeSummary(count, sum, check), 0, default);
                break;
            case RangeMode.HashList:
            case RangeMode.NeedHashes:
                var n = ReadListLength();
                if ((ulong)n * ItemHasher.HashSize > (ulong)_rest.Length)
                {
                    SyncProtocolException.Throw("a hash list is longer than the message");
                }

                range = new RangeView(bound, mode, default, n, Take(n * ItemHasher.HashSize));
                break;
            case RangeMode.NeedIndexes:
                var k = ReadListLength();
                var start = _rest;
                long position = -1;
                for (var i = 0; i < k; i++)
                {
                    position += (long)ReadVarint() + 1;
                    if (position > int.MaxValue)
                    {
                        SyncProtocolException.Throw("a need index is out of range");
                    }
                }

                range = new RangeView(bound, mode, default, k, start[..(start.Length - _rest.Length)]);
                break;
            default:
                SyncProtocolException.Throw($"unknown range mode {(byte)mode}");
                break;
        }

        return true;
    }

    private SyncBound ReadBound()
    {
        var encoded = ReadVarint();
        ulong timestamp;
        if (encoded == 0)
        {
            timestamp = ulong.MaxValue;
        }
        else
        {
            if (_lastTimestamp == ulong.MaxValue || encoded - 1 >= ulong.MaxValue - _lastTimestamp)
            {
                SyncProtocolException.Throw("a bound's timestamp overflows");
            }

            timestamp = _lastTimestamp + encoded - 1;
        }

        _lastTimestamp = timestamp;
        int length = ReadByte();
        if (length > InfoHash.Size)
        {
            SyncProtocolException.Throw($"a bound's id prefix is {length} bytes, over {InfoHash.Size}");
        }

        if (timestamp == ulong.MaxValue && length != 0)
        {
            SyncProtocolException.Throw("the infinity bound has an id prefix");
        }

        Span<byte> id = stackalloc byte[InfoHash.Size];
        id.Clear();
        Take(length).CopyTo(id);
        return new SyncBound(timestamp, new InfoHash(id), length);
    }

    private int ReadListLength()
    {
        var n = ReadVarint();
        if (n > (ulong)_options.MaxListLength)
        {
            SyncProtocolException.Throw($"a list of {n} entries, over {_options.MaxListLength}");
        }

        return (int)n;
    }

    private ulong ReadVarint()
    {
        if (!Varint.TryRead(_rest, out var value, out var used))
        {
            SyncProtocolException.Throw("a varint is cut short, padded or over 64 bits");
        }

        _rest = _rest[used..];
        return value;
    }

    private byte ReadByte() => Take(1)[0];

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count > _rest.Length)
        {
            SyncProtocolException.Throw("the message ends inside a range");
        }

        var taken = _rest[..count];
        _rest = _rest[count..];
        return taken;
    }
}
