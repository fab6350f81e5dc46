using Upseed.Meshtastic.Protobufs;

namespace Upseed.Meshtastic.Link;

/// <summary>What the config handshake told about the radio. Immutable: a new handshake makes a new one.</summary>
public sealed record MeshtasticRadioInfo
{
    /// <summary>The radio's own node number: packets to it are direct messages to this box.</summary>
    public required uint MyNodeNumber { get; init; }

    public string NodeId => MeshtasticNodeNumber.ToNodeId(MyNodeNumber);

    public string? FirmwareVersion { get; init; }

    /// <summary>The radio's LoRa settings (modem preset, region, hop limit), if it sent them.</summary>
    public Config.Types.LoRaConfig? LoRa { get; init; }

    public IReadOnlyList<MeshtasticChannelInfo> Channels { get; init; } = [];

    /// <summary>The radio's node database at handshake time, by node number.</summary>
    public IReadOnlyDictionary<uint, MeshtasticNodeInfo> Nodes { get; init; } = new Dictionary<uint, MeshtasticNodeInfo>();
}
