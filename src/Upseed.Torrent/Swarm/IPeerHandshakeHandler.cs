using Upseed.Metainfo;
using Upseed.Torrent.Wire;

namespace Upseed.Torrent.Swarm;

/// <summary>
/// Takes incoming connections whose handshake names an info-hash that is not a torrent but a swarm of another kind
/// (a community's sync swarm key). <see cref="PeerListener"/> asks it before its catalog; when it accepts, the
/// connection is handed over right after the peer's handshake has been read, and nothing has been sent yet.
/// </summary>
public interface IPeerHandshakeHandler
{
    /// <summary>Whether this handler serves the info-hash. Called once per handshake; answer from memory, fast.</summary>
    bool Accepts(InfoHash infoHash);

    /// <summary>
    /// Runs the connection until it ends. The listener owns the channel and closes it when this returns; a
    /// <see cref="PeerProtocolException"/>, <see cref="IOException"/> or <see cref="EndOfStreamException"/> escaping
    /// here closes that one connection quietly.
    /// </summary>
    Task RunAsync(PeerChannel channel, Handshake handshake, CancellationToken cancellationToken);
}
