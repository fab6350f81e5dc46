using System.Net;
using System.Net.Sockets;

namespace Upseed.Dht.Node;

/// <summary>An <see cref="IDhtSocket"/> over a bound UDP socket.</summary>
public sealed class UdpDhtSocket : IDhtSocket
{
    private readonly Socket _socket;
    private readonly byte[] _buffer = new byte[64 * 1024];

    /// <summary>Initializes a new instance of the <see cref="UdpDhtSocket"/> class bound to <paramref name="bindTo"/>.</summary>
    /// <param name="bindTo">The local endpoint, e.g. 127.0.0.1:0 in tests for a free port.</param>
    public UdpDhtSocket(IPEndPoint bindTo)
    {
        ArgumentNullException.ThrowIfNull(bindTo);
        _socket = new Socket(bindTo.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            _socket.Bind(bindTo);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }

        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
    }

    /// <inheritdoc/>
    public IPEndPoint LocalEndPoint { get; }

    /// <inheritdoc/>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> datagram, IPEndPoint destination, CancellationToken cancellationToken)
    {
        try
        {
            await _socket.SendToAsync(datagram, SocketFlags.None, destination, cancellationToken);
        }
        catch (SocketException)
        {
            // UDP: an undeliverable datagram is a lost datagram; the request's timeout handles it.
        }
    }

    /// <inheritdoc/>
    public async ValueTask<DhtDatagram> ReceiveAsync(CancellationToken cancellationToken)
    {
        var any = _socket.AddressFamily == AddressFamily.InterNetworkV6
            ? new IPEndPoint(IPAddress.IPv6Any, 0)
            : new IPEndPoint(IPAddress.Any, 0);
        while (true)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await _socket.ReceiveFromAsync(_buffer, SocketFlags.None, any, cancellationToken);
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
            {
                // ICMP port unreachable from an earlier send, or an oversized datagram: not ours to stop on.
                continue;
            }

            return new DhtDatagram(_buffer.AsMemory(0, result.ReceivedBytes).ToArray(), (IPEndPoint)result.RemoteEndPoint);
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
