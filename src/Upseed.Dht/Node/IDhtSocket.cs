using System.Net;

namespace Upseed.Dht.Node;

/// <summary>One datagram as received: its bytes and the endpoint it came from.</summary>
/// <param name="Data">The datagram payload.</param>
/// <param name="From">The sender's endpoint.</param>
public readonly record struct DhtDatagram(ReadOnlyMemory<byte> Data, IPEndPoint From);

/// <summary>The DHT's UDP transport: send a datagram, receive the next one. Nothing about KRPC lives here.</summary>
public interface IDhtSocket : IAsyncDisposable
{
    /// <summary>Gets the endpoint this socket is bound to.</summary>
    IPEndPoint LocalEndPoint { get; }

    /// <summary>Sends one datagram; a send that cannot be delivered is dropped, as UDP does.</summary>
    /// <param name="datagram">The bytes to send.</param>
    /// <param name="destination">The destination.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes once the datagram is handed to the transport.</returns>
    ValueTask SendAsync(ReadOnlyMemory<byte> datagram, IPEndPoint destination, CancellationToken cancellationToken);

    /// <summary>Waits for the next datagram.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The datagram.</returns>
    ValueTask<DhtDatagram> ReceiveAsync(CancellationToken cancellationToken);
}
