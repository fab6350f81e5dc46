using Upseed.Mqtt.Packets;

namespace Upseed.Mqtt.Tests;

/// <summary>One valid packet of each kind and version, for round trips, segmentation and as fuzz seeds.</summary>
internal static class CodecSamples
{
    public static readonly IReadOnlyList<(string Name, MqttPacket Packet, MqttProtocolVersion Version)> All = Build();

    private static List<(string, MqttPacket, MqttProtocolVersion)> Build()
    {
        var list = new List<(string, MqttPacket, MqttProtocolVersion)>();
        foreach (var version in new[] { MqttProtocolVersion.V311, MqttProtocolVersion.V500 })
        {
            var v = version == MqttProtocolVersion.V311 ? "311" : "5";
            var props = version == MqttProtocolVersion.V500
                ? new MqttProperties([new MqttProperty(MqttPropertyId.UserProperty, Text: "k", PairValue: "v")])
                : MqttProperties.Empty;
            list.Add(($"connect-{v}", new ConnectPacket
            {
                ProtocolVersion = version,
                ClientId = "upseed0123456789abcdef",
                KeepAliveSeconds = 30,
                UserName = "alice",
                Password = "s3cret"u8.ToArray(),
                Properties = version == MqttProtocolVersion.V500
                    ? new MqttProperties([new MqttProperty(MqttPropertyId.SessionExpiryInterval, uint.MaxValue), new MqttProperty(MqttPropertyId.ReceiveMaximum, 100)])
                    : MqttProperties.Empty,
            }, version));
            list.Add(($"connack-{v}", new ConnAckPacket { SessionPresent = true, Properties = props }, version));
            list.Add(($"publish0-{v}", new PublishPacket { Topic = "upseed/c/garden/post", Payload = "d1:ai1ee"u8.ToArray(), Properties = props }, version));
            list.Add(($"publish1-{v}", new PublishPacket { Topic = "t", Payload = new byte[300], QualityOfService = MqttQualityOfService.AtLeastOnce, PacketId = 65535, Dup = true, Retain = true }, version));
            list.Add(($"puback-{v}", new PubAckPacket(42), version));
            list.Add(($"subscribe-{v}", new SubscribePacket(7, [new MqttSubscription("upseed/#", NoLocal: version == MqttProtocolVersion.V500), new MqttSubscription("a/+/c", MqttQualityOfService.AtMostOnce)]), version));
            list.Add(($"suback-{v}", new SubAckPacket(7, [1, 0x80]), version));
            list.Add(($"unsubscribe-{v}", new UnsubscribePacket(8, ["upseed/#"]), version));
            list.Add(($"unsuback-{v}", new UnsubAckPacket(8, version == MqttProtocolVersion.V500 ? [0] : []), version));
            list.Add(($"pingreq-{v}", PingReqPacket.Instance, version));
            list.Add(($"pingresp-{v}", PingRespPacket.Instance, version));
            list.Add(($"disconnect-{v}", new DisconnectPacket(), version));
        }

        list.Add(("puback-failure-5", new PubAckPacket(9, 0x87) { Properties = new MqttProperties([new MqttProperty(MqttPropertyId.ReasonString, Text: "not authorized")]) }, MqttProtocolVersion.V500));
        list.Add(("disconnect-reason-5", new DisconnectPacket(0x8E), MqttProtocolVersion.V500));
        return list;
    }
}
