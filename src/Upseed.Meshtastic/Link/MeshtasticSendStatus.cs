namespace Upseed.Meshtastic.Link;

/// <summary>What became of a send. The radio link is lossy and comes and goes, so none of these is an exception.</summary>
public enum MeshtasticSendStatus
{
    /// <summary>Handed to the radio (written to the stream); whether it reaches anyone is the mesh's business.</summary>
    Sent,

    /// <summary>No radio connected (or its handshake is not finished): nothing was sent.</summary>
    NotConnected,

    /// <summary>The payload is over <see cref="MeshtasticOutgoingPacket.MaxPayloadLength"/> bytes or the hop limit over 7.</summary>
    Invalid,

    /// <summary>Writing to the radio failed or timed out; the connection is being closed.</summary>
    Failed,
}
