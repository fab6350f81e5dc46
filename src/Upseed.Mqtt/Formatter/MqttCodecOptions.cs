namespace Upseed.Mqtt.Formatter;

/// <summary>Limits of the MQTT decoder. Every default is written down.</summary>
public sealed record MqttCodecOptions
{
    /// <summary>
    /// Largest whole packet (fixed header included) accepted, checked against the Remaining Length before a byte of
    /// the body is buffered. Defaults to 256 KiB: a record is under 64 KiB (Upseed.Records RecordLimits), so this
    /// leaves room for the topic and properties while keeping a hostile length from costing memory. The spec's own
    /// ceiling is 268,435,455 + 5 bytes (§2.2.3).
    /// </summary>
    public int MaxPacketSize { get; init; } = 256 * 1024;

    /// <summary>Longest topic name or filter in bytes. Defaults to 1,024 (the spec allows 65,535; ours are short).</summary>
    public int MaxTopicLength { get; init; } = 1024;

    /// <summary>Most filters in one SUBSCRIBE/UNSUBSCRIBE and codes in one SUBACK/UNSUBACK. Defaults to 256.</summary>
    public int MaxEntries { get; init; } = 256;

    /// <summary>Most MQTT 5 properties in one packet. Defaults to 64.</summary>
    public int MaxProperties { get; init; } = 64;

    public static MqttCodecOptions Default { get; } = new();
}
