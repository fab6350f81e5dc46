using Upseed.Meshtastic.Protobufs;

namespace Upseed.Meshtastic.Link;

/// <summary>
/// A packet the radio received from the mesh (or echoed from this host), already decrypted by the radio: the
/// <c>MeshPacket</c> header fields the host needs and the <c>Data</c> payload.
/// </summary>
public sealed record MeshtasticPacket
{
    /// <summary>Sender's node number.</summary>
    public required uint From { get; init; }

    /// <summary>Destination node number; <see cref="MeshtasticNodeNumber.Broadcast"/> for everyone.</summary>
    public required uint To { get; init; }

    /// <summary>The packet id the sender chose (0 if none).</summary>
    public required uint Id { get; init; }

    /// <summary>The radio's channel index the packet came in on.</summary>
    public uint Channel { get; init; }

    public required uint PortNumber { get; init; }

    public required ReadOnlyMemory<byte> Payload { get; init; }

    public uint HopLimit { get; init; }

    /// <summary>The sender's hop limit (0 from old firmware); hops taken = HopStart - HopLimit.</summary>
    public uint HopStart { get; init; }

    public bool WantAck { get; init; }

    public bool ViaMqtt { get; init; }

    public float RxSnr { get; init; }

    public int RxRssi { get; init; }

    /// <summary>Receive time (unix seconds) by the radio's clock, 0 if it has none.</summary>
    public uint RxTime { get; init; }

    /// <summary><c>Data.request_id</c>: for a routing reply, the id of the packet it acknowledges.</summary>
    public uint RequestId { get; init; }

    /// <summary><c>Data.reply_id</c>: the message this one answers (the apps' threaded replies).</summary>
    public uint ReplyId { get; init; }

    public bool IsBroadcast => To == MeshtasticNodeNumber.Broadcast;

    /// <summary>A packet with a decoded <c>Data</c>; null for one the radio could not decrypt.</summary>
    internal static MeshtasticPacket? FromProto(MeshPacket packet)
    {
        if (packet.PayloadVariantCase != MeshPacket.PayloadVariantOneofCase.Decoded)
        {
            return null;
        }

        var data = packet.Decoded;
        return new MeshtasticPacket
        {
            From = packet.From,
            To = packet.To,
            Id = packet.Id,
            Channel = packet.Channel,
            PortNumber = (uint)data.Portnum,
            Payload = data.Payload.Memory,
            HopLimit = packet.HopLimit,
            HopStart = packet.HopStart,
            WantAck = packet.WantAck,
            ViaMqtt = packet.ViaMqtt,
            RxSnr = packet.RxSnr,
            RxRssi = packet.RxRssi,
            RxTime = packet.RxTime,
            RequestId = data.RequestId,
            ReplyId = data.ReplyId,
        };
    }
}
