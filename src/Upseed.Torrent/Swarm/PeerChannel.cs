using System.Net;
using Upseed.Torrent.Wire;

namespace Upseed.Torrent.Swarm;

/// <summary>
/// One peer connection's framing, for protocols built on the peer wire outside this assembly (community sync): reads
/// the handshake and length-checked messages, and writes messages under a lock so several tasks may send. It applies
/// no protocol rules.
/// </summary>
public sealed class PeerChannel : IAsyncDisposable
{
    private readonly PeerConnection _connection;
    private readonly bool _ownsConnection;

    internal PeerChannel(PeerConnection connection, bool ownsConnection)
    {
        _connection = connection;
        _ownsConnection = ownsConnection;
    }

    public EndPoint Remote => _connection.Remote;

    public long BytesReceived => _connection.BytesReceived;

    public long BytesSent => _connection.BytesSent;

    public TimeSpan SinceLastReceived => _connection.SinceLastReceived;

    public TimeSpan SinceLastSent => _connection.SinceLastSent;

    /// <summary>A channel over a connected stream (an outgoing TCP connection). The channel owns the stream.</summary>
    public static PeerChannel Create(Stream stream, EndPoint remote, PeerWireOptions? options = null, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(remote);
        return new PeerChannel(new PeerConnection(stream, remote, options ?? PeerWireOptions.Default, clock ?? TimeProvider.System), ownsConnection: true);
    }

    /// <exception cref="PeerProtocolException">Not a BitTorrent handshake.</exception>
    /// <exception cref="EndOfStreamException">The peer closed the connection first.</exception>
    public ValueTask<Handshake> ReadHandshakeAsync(CancellationToken cancellationToken) => _connection.ReadHandshakeAsync(cancellationToken);

    /// <summary>The next message, keep-alives included.</summary>
    /// <exception cref="PeerProtocolException">A malformed message or one over the limits.</exception>
    /// <exception cref="EndOfStreamException">The peer closed the connection.</exception>
    public ValueTask<PeerMessage> ReadMessageAsync(CancellationToken cancellationToken) => _connection.ReadMessageAsync(cancellationToken);

    public ValueTask SendHandshakeAsync(Handshake handshake, CancellationToken cancellationToken) => _connection.SendHandshakeAsync(handshake, cancellationToken);

    public ValueTask SendAsync(PeerMessage message, CancellationToken cancellationToken) => _connection.SendAsync(message, cancellationToken);

    public ValueTask DisposeAsync() => _ownsConnection ? _connection.DisposeAsync() : ValueTask.CompletedTask;
}
