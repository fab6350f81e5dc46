namespace Upseed.Meshtastic.Link;

/// <summary>A send's status and, when sent, the packet id the radio will use (acks refer to it).</summary>
public readonly record struct MeshtasticSendResult(MeshtasticSendStatus Status, uint PacketId)
{
    public bool IsSent => Status == MeshtasticSendStatus.Sent;
}
