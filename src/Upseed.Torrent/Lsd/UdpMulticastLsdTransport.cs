using System.Net;
using System.Net.Sockets;

namespace Upseed.Torrent.Lsd;

/// <summary>
/// BEP 14 over real UDP multicast: binds port 6771 with address reuse (other clients on the box share it), joins the
/// group, keeps multicast loopback on (so two nodes on one machine hear each other; the cookie filters our own
/// announces) and sends with TTL / hop limit 1 so announces stay on the LAN.
/// </summary>
public sealed class UdpMulticastLsdTransport : ILsdTransport
{
    /// <summary>BEP 14 port, the same for both families.</summary>
    public const int Port = 6771;

    public static readonly IPAddress IPv4Group = IPAddress.Parse("239.192.152.143");

    public static readonly IPAddress IPv6Group = IPAddress.Parse("ff15::efc0:988f");

    private readonly Socket _socket;
    private readonly IPEndPoint _group;

    /// <param name="family">InterNetwork for 239.192.152.143:6771, InterNetworkV6 for [ff15::efc0:988f]:6771.</param>
    /// <param name="port">The group port; 6771 unless a test isolates itself on another.</param>
    /// <param name="interfaceIndex">IPv6 interface to join and send on, 0 for the system's choice.</param>
    /// <param name="interfaceAddress">IPv4 interface to join and send on, null for the system's choice.</param>
    /// <exception cref="SocketException">The socket could not be bound or the group not joined.</exception>
    public UdpMulticastLsdTransport(AddressFamily family = AddressFamily.InterNetwork, int port = Port, int interfaceIndex = 0, IPAddress? interfaceAddress = null)
    {
        if (family is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            throw new ArgumentOutOfRangeException(nameof(family), family, "LSD runs over IPv4 or IPv6.");
        }

        var v6 = family == AddressFamily.InterNetworkV6;
        _group = new IPEndPoint(v6 ? IPv6Group : IPv4Group, port);
        Host = v6 ? $"[{IPv6Group}]:{port}" : $"{IPv4Group}:{port}";
        _socket = new Socket(family, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            if (v6)
            {
                _socket.DualMode = false;
                _socket.Bind(new IPEndPoint(IPAddress.IPv6Any, port));
                _socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.AddMembership, new IPv6MulticastOption(IPv6Group, interfaceIndex));
                _socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastLoopback, true);
                _socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastTimeToLive, 1);
                if (interfaceIndex != 0)
                {
                    _socket.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.MulticastInterface, interfaceIndex);
                }
            }
            else
            {
                _socket.Bind(new IPEndPoint(IPAddress.Any, port));
                var membership = interfaceAddress is null ? new MulticastOption(IPv4Group) : new MulticastOption(IPv4Group, interfaceAddress);
                _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, membership);
                _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
                _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, 1);
                if (interfaceAddress is not null)
                {
                    _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, interfaceAddress.GetAddressBytes());
                }
            }
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
    }

    public string Host { get; }

    public async ValueTask SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken) =>
        await _socket.SendToAsync(datagram, SocketFlags.None, _group, cancellationToken).ConfigureAwait(false);

    public async ValueTask<LsdDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        EndPoint any = _group.AddressFamily == AddressFamily.InterNetworkV6 ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0);
        try
        {
            var result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellationToken).ConfigureAwait(false);
            return new LsdDatagram(result.ReceivedBytes, (IPEndPoint)result.RemoteEndPoint);
        }
        catch (ObjectDisposedException ex)
        {
            throw new OperationCanceledException("The LSD socket was closed.", ex, cancellationToken);
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
