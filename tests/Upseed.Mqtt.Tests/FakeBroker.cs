using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Upseed.Mqtt.Formatter;
using Upseed.Mqtt.Packets;

namespace Upseed.Mqtt.Tests;

/// <summary>
/// A scripted broker on 127.0.0.1 for the misbehaviours a real one never shows: malformed packets, oversized
/// lengths, silence. Each accepted connection is handed to the test through <see cref="AcceptAsync"/>.
/// </summary>
internal sealed class FakeBroker : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Channel<FakeBrokerConnection> _accepted = Channel.CreateUnbounded<FakeBrokerConnection>();
    private readonly List<FakeBrokerConnection> _connections = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;

    public FakeBroker(int port = 0)
    {
        _listener = new TcpListener(IPAddress.Loopback, port);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    public async Task<FakeBrokerConnection> AcceptAsync() => await _accepted.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60));

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        lock (_connections)
        {
            foreach (var connection in _connections)
            {
                connection.Dispose();
            }
        }

        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var connection = new FakeBrokerConnection(client);
            lock (_connections)
            {
                _connections.Add(connection);
            }

            _accepted.Writer.TryWrite(connection);
        }
    }
}

/// <summary>One client connection at the fake broker.</summary>
internal sealed class FakeBrokerConnection(TcpClient client) : IDisposable
{
    private readonly NetworkStream _stream = client.GetStream();
    private readonly MqttFrameBuffer _frames = new(MqttCodecOptions.Default);

    public MqttProtocolVersion Version { get; private set; } = MqttProtocolVersion.V311;

    /// <summary>Reads the next packet; null when the client closed the connection.</summary>
    public async Task<MqttPacket?> ReadAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            if (_frames.TryRead(Version, out var packet))
            {
                if (packet is ConnectPacket connect)
                {
                    Version = connect.ProtocolVersion;
                }

                return packet;
            }

            var read = await _stream.ReadAsync(_frames.GetWriteMemory(), timeout.Token);
            if (read == 0)
            {
                return null;
            }

            _frames.Advance(read);
        }
    }

    public async Task<T> ExpectAsync<T>()
        where T : MqttPacket
    {
        var packet = await ReadAsync();
        while (packet is PingReqPacket && typeof(T) != typeof(PingReqPacket))
        {
            packet = await ReadAsync();
        }

        return packet as T ?? throw new InvalidOperationException($"Expected {typeof(T).Name}, got {packet?.Type.ToString() ?? "end of stream"}.");
    }

    /// <summary>Reads CONNECT and accepts it.</summary>
    public async Task<ConnectPacket> AcceptConnectAsync(bool sessionPresent = false)
    {
        var connect = await ExpectAsync<ConnectPacket>();
        await SendAsync(new ConnAckPacket { SessionPresent = sessionPresent });
        return connect;
    }

    public Task SendAsync(MqttPacket packet) => SendRawAsync(MqttPacketCodec.Encode(packet, Version));

    public async Task SendRawAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
    }

    /// <summary>Waits until the client closes the connection (reading and discarding what it sends).</summary>
    public async Task WaitForCloseAsync()
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            while (await _stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }
        }
        catch (IOException)
        {
            // Reset by the client: closed as well.
        }
    }

    public void Dispose()
    {
        _frames.Dispose();
        client.Dispose();
    }
}
