using System.Buffers;

namespace Upseed.Meshtastic.Framing;

/// <summary>
/// Collects bytes read from a stream and hands out whole frames. Its memory is fixed (rented once, a few frames'
/// worth), since no frame is larger than <see cref="StreamFraming.MaxFrameSize"/>; noise is dropped as it is found.
/// Not thread-safe: one reader loop owns it. Dispose returns the buffer to the pool.
/// </summary>
public sealed class StreamFrameBuffer : IDisposable
{
    private byte[] _buffer;
    private int _start;
    private int _end;

    /// <param name="capacity">Bytes held at once; at least two full frames. Defaults to 4096.</param>
    public StreamFrameBuffer(int capacity = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 2 * StreamFraming.MaxFrameSize);
        _buffer = ArrayPool<byte>.Shared.Rent(capacity);
    }

    /// <summary>Free space to read into; call <see cref="Advance"/> with the count read.</summary>
    public Memory<byte> GetWriteMemory()
    {
        ObjectDisposedException.ThrowIf(_buffer.Length == 0, this);
        if (_start > 0 && (_end == _buffer.Length || _start >= _buffer.Length / 2))
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        return _buffer.AsMemory(_end);
    }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _end);
        _end += count;
    }

    /// <summary>Bytes held that are not yet part of a returned frame or skipped noise.</summary>
    public int Buffered => _end - _start;

    /// <summary>
    /// The next frame, or the next run of bytes that are not one. Returns <see cref="OperationStatus.NeedMoreData"/>
    /// when the buffer holds no complete frame. The spans stay valid until the next call to any member.
    /// </summary>
    public OperationStatus Read(out ReadOnlySpan<byte> payload, out ReadOnlySpan<byte> skipped, out StreamFrameError error)
    {
        payload = default;
        skipped = default;
        var data = _buffer.AsSpan(_start, _end - _start);
        var status = StreamFraming.TryReadFrame(data, out var consumed, out var offset, out var length, out error);
        switch (status)
        {
            case OperationStatus.Done:
                payload = data.Slice(offset, length);
                _start += consumed;
                break;
            case OperationStatus.InvalidData:
                skipped = data[..consumed];
                _start += consumed;
                break;
        }

        if (_start == _end)
        {
            _start = _end = 0;
        }

        return status;
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
            _start = _end = 0;
        }
    }
}
