namespace Upseed.Meshtastic.Link;

/// <summary>Application data for the radio to send: one <c>MeshPacket</c> with a decoded <c>Data</c>.</summary>
public sealed record MeshtasticOutgoingPacket
{
    /// <summary>At most <see cref="MaxPayloadLength"/> bytes.</summary>
    public required ReadOnlyMemory<byte> Payload { get; init; }

    /// <summary>Destination node number. Defaults to <see cref="MeshtasticNodeNumber.Broadcast"/>.</summary>
    public uint To { get; init; } = MeshtasticNodeNumber.Broadcast;

    /// <summary>Port number. Defaults to null: the link's <see cref="MeshtasticLinkOptions.PortNumber"/>.</summary>
    public uint? PortNumber { get; init; }

    /// <summary>The radio's channel index. Defaults to 0, the primary channel.</summary>
    public uint Channel { get; init; }

    /// <summary>Ask the mesh for an ack (the radio retries and reports a routing reply). Defaults to false.</summary>
    public bool WantAck { get; init; }

    /// <summary>Hops allowed. Defaults to null: the link's <see cref="MeshtasticLinkOptions.HopLimit"/>.</summary>
    public uint? HopLimit { get; init; }

    /// <summary><c>Data.reply_id</c>: the packet this one answers. Defaults to 0 (none).</summary>
    public uint ReplyId { get; init; }

    /// <summary>
    /// The largest <c>Data.payload</c>: 233 bytes (mesh.proto <c>Constants.DATA_PAYLOAD_LEN</c>; it was 237 before
    /// November 2024). The firmware may still refuse a payload near this size once its own header fields are added.
    /// </summary>
    public const int MaxPayloadLength = 233;
}
