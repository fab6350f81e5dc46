namespace Upseed.Torrent.Lsd;

/// <summary>
/// Moves LSD datagrams to and from one multicast group; it knows nothing of their content. The real one is
/// <see cref="UdpMulticastLsdTransport"/>; tests plug in an in-memory medium.
/// </summary>
public interface ILsdTransport : IAsyncDisposable
{
    /// <summary>The group as written in the Host header, e.g. <see cref="LsdMessage.IPv4Host"/>.</summary>
    string Host { get; }

    /// <summary>Sends one datagram to the group.</summary>
    ValueTask SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken cancellationToken);

    /// <summary>Waits for the next datagram from the group (our own looped-back ones included).</summary>
    /// <exception cref="OperationCanceledException">Cancelled, or the transport was disposed.</exception>
    ValueTask<LsdDatagram> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken);
}
