namespace Upseed.Meshtastic.Link;

public enum MeshtasticLinkState
{
    /// <summary>Opening the TCP connection or serial port (or waiting to retry).</summary>
    Connecting,

    /// <summary>Sent <c>want_config_id</c>; collecting the radio's node info, config and channels.</summary>
    Handshaking,

    /// <summary>The radio answered <c>config_complete_id</c>: packets flow both ways.</summary>
    Ready,

    /// <summary>This connection (or the supervisor) is finished.</summary>
    Closed,
}
