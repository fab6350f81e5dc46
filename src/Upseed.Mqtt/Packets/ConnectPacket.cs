namespace Upseed.Mqtt.Packets;

/// <summary>CONNECT (MQTT 3.1.1 §3.1, MQTT 5 §3.1).</summary>
public sealed record ConnectPacket : MqttPacket
{
    public override MqttPacketType Type => MqttPacketType.Connect;

    public MqttProtocolVersion ProtocolVersion { get; init; } = MqttProtocolVersion.V311;

    public required string ClientId { get; init; }

    /// <summary>CleanSession in 3.1.1, Clean Start in 5. The bridge keeps its session (false).</summary>
    public bool CleanSession { get; init; }

    /// <summary>Seconds; 0 disables keep-alive (§3.1.2.10).</summary>
    public ushort KeepAliveSeconds { get; init; }

    public string? UserName { get; init; }

    public ReadOnlyMemory<byte>? Password { get; init; }

    public MqttWill? Will { get; init; }

    /// <summary>MQTT 5 CONNECT properties; ignored for 3.1.1.</summary>
    public MqttProperties Properties { get; init; } = MqttProperties.Empty;
}
