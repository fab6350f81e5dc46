using System.Net.Sockets;

namespace Upseed.Meshtastic.Link;

/// <summary>Opens the byte stream to a radio: a TCP connection to its network API or its USB serial port.</summary>
public static class MeshtasticTransport
{
    /// <summary>Opens a stream to <paramref name="endpoint"/>; the caller owns it.</summary>
    /// <exception cref="SocketException">The TCP connection was refused or failed.</exception>
    /// <exception cref="IOException">The serial device could not be opened or configured.</exception>
    /// <exception cref="TimeoutException">The TCP connection took longer than <see cref="MeshtasticLinkOptions.ConnectTimeout"/>.</exception>
    public static async Task<Stream> OpenAsync(MeshtasticEndpoint endpoint, MeshtasticLinkOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(options);
        if (endpoint.IsSerial)
        {
            return SerialPortStream.Open(endpoint.DevicePath!, endpoint.BaudRate);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(options.ConnectTimeout);
            try
            {
                await socket.ConnectAsync(endpoint.Host!, endpoint.Port, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Connecting to {endpoint} took longer than {options.ConnectTimeout.TotalSeconds:0} s.");
            }

            socket.NoDelay = true;

            // A radio on Wi-Fi can vanish without a FIN; keepalive notices within about two minutes instead of hours.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 60);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 10);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, 6);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
