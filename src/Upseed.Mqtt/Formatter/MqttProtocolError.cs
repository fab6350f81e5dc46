namespace Upseed.Mqtt.Formatter;

/// <summary>Why bytes are not a valid MQTT packet. Each value maps to a sentence in the exception's message.</summary>
public enum MqttProtocolError
{
    /// <summary>Packet type 0 (reserved) or a type this client never receives.</summary>
    UnknownPacketType,

    /// <summary>QoS 2 and AUTH flows: this client subscribes at most at QoS 1 and authenticates with a password only.</summary>
    UnsupportedPacketType,

    /// <summary>Fixed-header flags other than those the spec fixes for the type (§2.2.2).</summary>
    InvalidFlags,

    /// <summary>A Remaining Length (or property length) longer than 4 bytes or not minimally encoded (§2.2.3, §1.5.5).</summary>
    MalformedVariableByteInteger,

    /// <summary>The packet is larger than <see cref="MqttCodecOptions.MaxPacketSize"/>; refused before anything is allocated.</summary>
    PacketTooLarge,

    /// <summary>A field runs past the end of the packet's declared length.</summary>
    Truncated,

    /// <summary>Bytes left over after the last field.</summary>
    TrailingBytes,

    /// <summary>A string that is not well-formed UTF-8 or holds U+0000 [MQTT-1.5.3-1, MQTT-1.5.3-2].</summary>
    InvalidString,

    /// <summary>A topic name with a wildcard, or an empty one; a filter with a misplaced wildcard (§4.7).</summary>
    InvalidTopic,

    /// <summary>A QoS of 3, or DUP on a QoS 0 message [MQTT-3.3.1-2, MQTT-3.3.1-4].</summary>
    InvalidQualityOfService,

    /// <summary>A packet identifier of 0 where one is required [MQTT-2.3.1-1].</summary>
    ZeroPacketIdentifier,

    /// <summary>A protocol name other than "MQTT", or a level other than 4 or 5.</summary>
    UnsupportedProtocol,

    /// <summary>Reserved bits set, or a flag combination the spec forbids.</summary>
    InvalidConnectFlags,

    /// <summary>A reason or return code the spec does not define for this packet.</summary>
    InvalidReasonCode,

    /// <summary>An unknown, duplicated, misplaced or out-of-range MQTT 5 property.</summary>
    InvalidProperty,

    /// <summary>SUBSCRIBE, UNSUBSCRIBE, SUBACK with no entries, or more than the options allow.</summary>
    InvalidEntryCount,

    /// <summary>A string longer than the options allow.</summary>
    FieldTooLong,
}
