using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using Upseed.Torrent.Wire;

namespace Upseed.Torrent.Swarm;

/// <summary>
/// One peer connection's framing: reads handshakes and length-prefixed messages from a stream through a pipe (so a
/// message split across TCP segments is reassembled without copies), and writes messages under a lock (sessions send
/// from their read loop and from timers). It applies no protocol rules; sessions do.
/// </summary>
internal sealed class PeerConnection : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly PeerWireOptions _options;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly TimeProvider _clock;
    private long _lastReceived;
    private long _lastSent;

    public PeerConnection(Stream stream, EndPoint remote, PeerWireOptions options, TimeProvider clock)
    {
        _stream = stream;
        _options = options;
        _clock = clock;
        Remote = remote;
        _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 32 * 1024, leaveOpen: true));
        _lastReceived = _lastSent = clock.GetTimestamp();
    }

    public EndPoint Remote { get; }

    public long BytesReceived { get; private set; }

    public long BytesSent { get; private set; }

    public TimeSpan SinceLastReceived => _clock.GetElapsedTime(Volatile.Read(ref _lastReceived));

    public TimeSpan SinceLastSent => _clock.GetElapsedTime(Volatile.Read(ref _lastSent));

    /// <exception cref="PeerProtocolException">Not a BitTorrent handshake.</exception>
    /// <exception cref="EndOfStreamException">The peer closed the connection first.</exception>
    public async ValueTask<Handshake> ReadHandshakeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var status = TryHandshake(buffer, out var handshake, out var error);
            if (status == OperationStatus.Done)
            {
                _reader.AdvanceTo(buffer.GetPosition(Handshake.Size));
                Received(Handshake.Size);
                return handshake;
            }

            if (status == OperationStatus.InvalidData)
            {
                throw new PeerProtocolException($"bad handshake: {error}");
            }

            if (result.IsCompleted)
            {
                throw new EndOfStreamException("The peer closed the connection during the handshake.");
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>The next message. Keep-alives are returned too, so the caller can reset its idle timer.</summary>
    /// <exception cref="PeerProtocolException">A malformed message or one over the limits.</exception>
    /// <exception cref="EndOfStreamException">The peer closed the connection.</exception>
    public async ValueTask<PeerMessage> ReadMessageAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            var before = buffer.Length;
            var status = PeerMessageReader.TryRead(ref buffer, _options, out var message, out var error);
            if (status == OperationStatus.Done)
            {
                _reader.AdvanceTo(buffer.Start);
                Received(before - buffer.Length);
                return message!;
            }

            if (status == OperationStatus.InvalidData)
            {
                throw new PeerProtocolException(PeerMessageReader.Describe(error));
            }

            if (result.IsCompleted)
            {
                throw new EndOfStreamException(buffer.IsEmpty ? "The peer closed the connection." : "The peer closed the connection inside a message.");
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    public async ValueTask SendHandshakeAsync(Handshake handshake, CancellationToken cancellationToken)
    {
        var bytes = new byte[Handshake.Size];
        handshake.WriteTo(bytes);
        await SendRawAsync(bytes, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask SendAsync(PeerMessage message, CancellationToken cancellationToken)
    {
        var writer = new ArrayBufferWriter<byte>(64);
        PeerMessageWriter.Write(writer, message);
        await SendRawAsync(writer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a piece message straight from the block's memory (no message object, one copy into a pooled buffer).</summary>
    public async ValueTask SendPieceAsync(int piece, int begin, ReadOnlyMemory<byte> block, CancellationToken cancellationToken)
    {
        var length = 13 + block.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            PeerMessageWriter.WritePieceHeader(buffer, piece, begin, block.Length);
            block.Span.CopyTo(buffer.AsSpan(13));
            await SendRawAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.CompleteAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        _sendLock.Dispose();
    }

    private async ValueTask SendRawAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            BytesSent += bytes.Length;
            Volatile.Write(ref _lastSent, _clock.GetTimestamp());
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private void Received(long bytes)
    {
        BytesReceived += bytes;
        Volatile.Write(ref _lastReceived, _clock.GetTimestamp());
    }

    private static OperationStatus TryHandshake(ReadOnlySequence<byte> buffer, out Handshake handshake, out string? error)
    {
        if (buffer.IsSingleSegment || buffer.Length < Handshake.Size)
        {
            return Handshake.TryRead(buffer.FirstSpan[..(int)Math.Min(buffer.FirstSpan.Length, Handshake.Size)], out handshake, out error);
        }

        Span<byte> copy = stackalloc byte[Handshake.Size];
        buffer.Slice(0, Handshake.Size).CopyTo(copy);
        return Handshake.TryRead(copy, out handshake, out error);
    }
}
