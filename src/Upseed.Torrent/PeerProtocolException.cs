using System.Diagnostics.CodeAnalysis;

namespace Upseed.Torrent;

/// <summary>
/// A peer broke the protocol (a malformed message, a request out of range, a wrong info-hash). The session that
/// catches it closes that one connection, logs the reason once, and the node carries on.
/// </summary>
public sealed class PeerProtocolException : Exception
{
    public PeerProtocolException()
        : base("The peer broke the BitTorrent protocol.")
    {
    }

    public PeerProtocolException(string message)
        : base(message)
    {
    }

    public PeerProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    [DoesNotReturn]
    internal static void Throw(string message) => throw new PeerProtocolException(message);
}
