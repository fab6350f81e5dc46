namespace Upseed.Meshtastic;

/// <summary>Port numbers (<c>Data.portnum</c>) the link uses [protobufs portnums.proto].</summary>
public static class MeshtasticPortNumbers
{
    /// <summary>Plain UTF-8 text: what the Meshtastic apps send and show.</summary>
    public const uint TextMessage = 1;

    /// <summary>Routing replies: acks and naks for <c>want_ack</c> packets.</summary>
    public const uint Routing = 5;

    /// <summary>The first of the private range 256-511, free for any application (and the Python client's default).</summary>
    public const uint PrivateApp = 256;

    /// <summary>
    /// Upseed's own port for compact record frames: a number in the private range (256-511) other than
    /// <see cref="PrivateApp"/> itself, which generic tools send to by default. Any port from 256 on costs the same
    /// 3 bytes on air (tag and a 2-byte varint).
    /// </summary>
    public const uint Upseed = 300;

    /// <summary>The highest private port (portnums.proto <c>MAX</c>).</summary>
    public const uint MaxPrivate = 511;
}
