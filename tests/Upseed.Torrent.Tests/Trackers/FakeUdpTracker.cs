using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Upseed.Torrent.Trackers;

namespace Upseed.Torrent.Tests.Trackers;

/// <summary>
/// A UDP socket on 127.0.0.1 that a test drives as the tracker: it receives each packet and writes each reply itself,
/// so lost, stray and malformed replies are explicit steps of the test.
/// </summary>
internal sealed class FakeUdpTracker : IDisposable
{
    /// <summary>Generous: the client sends within milliseconds; only a broken client makes a test wait this long.</summary>
    private static readonly TimeSpan s_receiveTimeout = TimeSpan.FromSeconds(10);

    private readonly UdpClient _socket;

    /// <param name="address">Where to listen; 127.0.0.1 when null.</param>
    public FakeUdpTracker(IPAddress? address = null)
    {
        address ??= IPAddress.Loopback;
        _socket = new UdpClient(new IPEndPoint(address, 0));
    }

    public IPEndPoint EndPoint => (IPEndPoint)_socket.Client.LocalEndPoint!;

    /// <summary>udp://127.0.0.1:port/announce, or udp://[::1]:port/announce.</summary>
    public Uri Url => new($"udp://{EndPoint}/announce");

    public async Task<ReceivedPacket> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(s_receiveTimeout);
        var result = await _socket.ReceiveAsync(timeout.Token);
        return new ReceivedPacket(result.Buffer, result.RemoteEndPoint);
    }

    /// <summary>Receives a packet and checks it is a connect request.</summary>
    public async Task<ReceivedPacket> ReceiveConnectAsync()
    {
        var packet = await ReceiveAsync();
        Assert.Equal(UdpTrackerCodec.ConnectRequestSize, packet.Bytes.Length);
        Assert.Equal(UdpTrackerCodec.ProtocolId, BinaryPrimitives.ReadInt64BigEndian(packet.Bytes));
        Assert.Equal(UdpTrackerAction.Connect, packet.Action);
        return packet;
    }

    /// <summary>Receives a connect request and answers it with <paramref name="connectionId"/>.</summary>
    public async Task AcceptConnectAsync(long connectionId)
    {
        var connect = await ReceiveConnectAsync();
        await SendAsync(ConnectReply(connect.TransactionId, connectionId), connect.From);
    }

    public async Task SendAsync(byte[] datagram, IPEndPoint to) => await _socket.SendAsync(datagram, to);

    public static byte[] ConnectReply(uint transactionId, long connectionId)
    {
        var reply = new byte[16];
        BinaryPrimitives.WriteInt32BigEndian(reply, (int)UdpTrackerAction.Connect);
        BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(4), transactionId);
        BinaryPrimitives.WriteInt64BigEndian(reply.AsSpan(8), connectionId);
        return reply;
    }

    /// <summary>An announce reply: interval, leechers, seeders, then the compact peers given.</summary>
    public static byte[] AnnounceReply(uint transactionId, int interval, int leechers, int seeders, params byte[] peers)
    {
        var reply = new byte[20 + peers.Length];
        BinaryPrimitives.WriteInt32BigEndian(reply, (int)UdpTrackerAction.Announce);
        BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(4), transactionId);
        BinaryPrimitives.WriteInt32BigEndian(reply.AsSpan(8), interval);
        BinaryPrimitives.WriteInt32BigEndian(reply.AsSpan(12), leechers);
        BinaryPrimitives.WriteInt32BigEndian(reply.AsSpan(16), seeders);
        peers.CopyTo(reply, 20);
        return reply;
    }

    public static byte[] ErrorReply(uint transactionId, string message)
    {
        var text = System.Text.Encoding.UTF8.GetBytes(message);
        var reply = new byte[8 + text.Length];
        BinaryPrimitives.WriteInt32BigEndian(reply, (int)UdpTrackerAction.Error);
        BinaryPrimitives.WriteUInt32BigEndian(reply.AsSpan(4), transactionId);
        text.CopyTo(reply, 8);
        return reply;
    }

    public void Dispose() => _socket.Dispose();

    internal sealed record ReceivedPacket(byte[] Bytes, IPEndPoint From)
    {
        /// <summary>Requests start with the 8-byte connection id (or protocol id), then action and transaction id.</summary>
        public UdpTrackerAction Action => (UdpTrackerAction)BinaryPrimitives.ReadInt32BigEndian(Bytes.AsSpan(8));

        public uint TransactionId => BinaryPrimitives.ReadUInt32BigEndian(Bytes.AsSpan(12));

        public long ConnectionId => BinaryPrimitives.ReadInt64BigEndian(Bytes);
    }
}
