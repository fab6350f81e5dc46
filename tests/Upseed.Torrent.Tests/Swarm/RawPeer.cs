using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Upseed.Metainfo;
using Upseed.Torrent.Wire;

namespace Upseed.Torrent.Tests.Swarm;

/// <summary>
/// A peer the test drives byte by byte over a real TCP socket: it builds handshakes and messages with the Wire codec
/// and reads the node's answers with the same codec, each read bounded by a deadline.
/// </summary>
internal sealed class RawPeer : IAsyncDisposable
{
    // A deadline for failures only: generous, so a loaded CI machine does not fail a correct node.
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly PipeReader _reader;

    private RawPeer(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
        _reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(leaveOpen: true));
    }

    public PeerId PeerId { get; } = PeerId.CreateRandom();

    /// <summary>Wraps a connection a test's own listener accepted (the raw peer is then the one answering).</summary>
    public static RawPeer FromAccepted(TcpClient client) => new(client);

    public Socket Socket => _client.Client;

    public static async Task<RawPeer> ConnectAsync(IPEndPoint endpoint)
    {
        var client = new TcpClient(AddressFamily.InterNetwork) { NoDelay = true };
        try
        {
            await client.ConnectAsync(endpoint);
        }
        catch
        {
            client.Dispose();
            throw;
        }

        return new RawPeer(client);
    }

    /// <summary>Connects, sends a handshake for <paramref name="infoHash"/> and reads the node's handshake back.</summary>
    public static async Task<(RawPeer Peer, Handshake Theirs)> HandshakeAsync(IPEndPoint endpoint, InfoHash infoHash, bool extensionProtocol = true)
    {
        var peer = await ConnectAsync(endpoint);
        await peer.SendHandshakeAsync(infoHash, extensionProtocol);
        return (peer, await peer.ReadHandshakeAsync());
    }

    public Task SendHandshakeAsync(InfoHash infoHash, bool extensionProtocol = true)
    {
        var bytes = new byte[Handshake.Size];
        new Handshake(Handshake.ReservedBits(extensionProtocol, dht: false, fast: false), infoHash, PeerId).WriteTo(bytes);
        return SendRawAsync(bytes);
    }

    public Task SendAsync(params PeerMessage[] messages)
    {
        var writer = new ArrayBufferWriter<byte>();
        foreach (var message in messages)
        {
            PeerMessageWriter.Write(writer, message);
        }

        return SendRawAsync(writer.WrittenMemory);
    }

    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes)
    {
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        await _stream.WriteAsync(bytes, timeout.Token);
    }

    /// <summary>Closes our sending side (FIN): the node reads end-of-stream after what we sent.</summary>
    public void ShutdownSend() => _client.Client.Shutdown(SocketShutdown.Send);

    public async Task<Handshake> ReadHandshakeAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            var result = await _reader.ReadAsync(cts.Token);
            var buffer = result.Buffer;
            if (buffer.Length >= Handshake.Size)
            {
                var bytes = buffer.Slice(0, Handshake.Size).ToArray();
                var status = Handshake.TryRead(bytes, out var handshake, out var error);
                Assert.True(status == OperationStatus.Done, $"the node's handshake did not parse: {error}");
                _reader.AdvanceTo(buffer.GetPosition(Handshake.Size));
                return handshake;
            }

            if (result.IsCompleted)
            {
                throw new EndOfStreamException($"The node closed the connection after {buffer.Length} handshake bytes.");
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    public async Task<PeerMessage> ReadMessageAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            var result = await _reader.ReadAsync(cts.Token);
            var buffer = result.Buffer;
            var status = PeerMessageReader.TryRead(ref buffer, PeerWireOptions.Default, out var message, out var error);
            if (status == OperationStatus.Done)
            {
                _reader.AdvanceTo(buffer.Start);
                return message!;
            }

            Assert.True(status == OperationStatus.NeedMoreData, $"the node sent a malformed message: {PeerMessageReader.Describe(error)}");
            if (result.IsCompleted)
            {
                throw new EndOfStreamException("The node closed the connection.");
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Reads messages, skipping keep-alives and any the predicate refuses, until one matches.</summary>
    public async Task<T> ReadUntilAsync<T>(Func<T, bool>? predicate = null, TimeSpan? timeout = null)
        where T : PeerMessage
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"No {typeof(T).Name} arrived in time.");
            }

            if (await ReadMessageAsync(left) is T match && (predicate is null || predicate(match)))
            {
                return match;
            }
        }
    }

    /// <summary>
    /// Reads and discards until the node closes the connection (end of stream or reset). True when it closed, false
    /// when it was still open at the deadline.
    /// </summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            while (true)
            {
                var result = await _reader.ReadAsync(cts.Token);
                _reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            return false;
        }
        catch (IOException)
        {
            return true; // reset: the node closed with our bytes unread
        }
    }

    /// <summary>Number of bytes the node sent before closing, or -1 when it was still open at the deadline.</summary>
    public async Task<long> BytesUntilCloseAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        long total = 0;
        try
        {
            while (true)
            {
                var result = await _reader.ReadAsync(cts.Token);
                total += result.Buffer.Length;
                _reader.AdvanceTo(result.Buffer.End);
                if (result.IsCompleted)
                {
                    return total;
                }
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            return -1;
        }
        catch (IOException)
        {
            return total;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _reader.CompleteAsync();
        await _stream.DisposeAsync();
        _client.Dispose();
    }
}
