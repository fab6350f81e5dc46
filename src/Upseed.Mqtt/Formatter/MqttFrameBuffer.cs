using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Upseed.Mqtt.Packets;

namespace Upseed.Mqtt.Formatter;

/// <summary>
/// Turns a byte stream into packets. Bytes go into a buffer rented from <see cref="ArrayPool{T}"/>; the buffer grows
/// only to hold a packet whose fixed header has already passed the size check, so a hostile Remaining Length never
/// costs memory. Not thread-safe: one reader owns it. Dispose returns the buffer.
/// </summary>
public sealed class MqttFrameBuffer : IDisposable
{
    private const int InitialSize = 8 * 1024;
    private const int MinimumRead = 4 * 1024;

    private readonly MqttCodecOptions _options;
    private byte[] _buffer;
    private int _start;
    private int _end;

    public MqttFrameBuffer(MqttCodecOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _buffer = ArrayPool<byte>.Shared.Rent(InitialSize);
    }

    /// <summary>Bytes received and not yet consumed as packets.</summary>
    public int Buffered => _end - _start;

    /// <summary>Copies bytes in (for tests and in-memory transports).</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var target = GetWriteMemory().Span;
            var count = Math.Min(target.Length, bytes.Length);
            bytes[..count].CopyTo(target);
            Advance(count);
            bytes = bytes[count..];
        }
    }

    /// <summary>Free space to read into (at least 4 KiB, or what the current packet still needs); call <see cref="Advance"/> after.</summary>
    public Memory<byte> GetWriteMemory()
    {
        var needed = MinimumRead;
        if (TryPeekHeader(out var header))
        {
            needed = Math.Max(1, header.PacketLength - Buffered);
        }

        Reserve(needed);
        return _buffer.AsMemory(_end);
    }

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, _buffer.Length - _end);
        _end += count;
    }

    /// <summary>Decodes the next whole packet, if one is buffered.</summary>
    /// <exception cref="MqttProtocolException">The buffered bytes break the protocol; the stream cannot be resynchronised.</exception>
    public bool TryRead(MqttProtocolVersion version, [NotNullWhen(true)] out MqttPacket? packet)
    {
        packet = null;
        var available = _buffer.AsSpan(_start, _end - _start);
        if (MqttPacketCodec.TryReadFixedHeader(available, _options, out var header) != OperationStatus.Done
            || available.Length < header.PacketLength)
        {
            return false;
        }

        packet = MqttPacketCodec.DecodeBody(header, available.Slice(header.HeaderLength, header.RemainingLength), version, _options);
        _start += header.PacketLength;
        if (_start == _end)
        {
            _start = _end = 0;
        }

        return true;
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The next packet's fixed header, once its bytes are buffered (checked against the size limit).</summary>
    /// <exception cref="MqttProtocolException">The header is malformed or over the limit.</exception>
    public bool TryPeekHeader(out MqttFixedHeader header) =>
        MqttPacketCodec.TryReadFixedHeader(_buffer.AsSpan(_start, _end - _start), _options, out header) == OperationStatus.Done;

    private void Reserve(int needed)
    {
        if (_buffer.Length - _end >= needed)
        {
            return;
        }

        var used = _end - _start;
        if (_buffer.Length - used >= needed && _start > 0)
        {
            _buffer.AsSpan(_start, used).CopyTo(_buffer);
            _start = 0;
            _end = used;
            return;
        }

        // Only reached with a validated header (needed <= MaxPacketSize) or the fixed read minimum.
        var larger = ArrayPool<byte>.Shared.Rent(used + needed);
        _buffer.AsSpan(_start, used).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
        _start = 0;
        _end = used;
    }
}
