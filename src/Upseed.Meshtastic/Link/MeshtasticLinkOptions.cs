namespace Upseed.Meshtastic.Link;

/// <summary>How the link talks to the radio. Every default is written down.</summary>
public sealed record MeshtasticLinkOptions
{
    /// <summary>The port number sends use when the packet names none. Defaults to <see cref="MeshtasticPortNumbers.Upseed"/> (300).</summary>
    public uint PortNumber { get; init; } = MeshtasticPortNumbers.Upseed;

    /// <summary>
    /// Hops a sent packet may take. Defaults to 3, the firmware's default (HOP_RELIABLE); the firmware caps it at 7
    /// (HOP_MAX).
    /// </summary>
    public uint HopLimit { get; init; } = 3;

    /// <summary>
    /// How long the radio may take to answer <c>want_config_id</c> with <c>config_complete_id</c>. Defaults to 60
    /// seconds: a radio with a full node database sends hundreds of frames at 115200 baud, and a radio that just
    /// booted prints its log first.
    /// </summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How often a <c>ToRadio.heartbeat</c> is sent once connected, so the radio keeps the API session (and a serial
    /// link awake). Defaults to 300 seconds, the interval the Meshtastic Python client uses.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>How long one write to the radio may take before the connection is given up. Defaults to 10 seconds.</summary>
    public TimeSpan WriteTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Send 32 bytes of 0xC3 before the first frame: wakes a sleeping serial radio and makes its frame reader drop a
    /// half-read frame (the Meshtastic Python client does the same on connect). Defaults to true.
    /// </summary>
    public bool SendWakeBytes { get; init; } = true;

    /// <summary>Received packets held per subscription before the oldest is dropped. Defaults to 256.</summary>
    public int SubscriptionCapacity { get; init; } = 256;

    /// <summary>First wait before reconnecting after a failure. Defaults to 1 second; it doubles up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan InitialReconnectDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait between reconnect attempts. Defaults to 60 seconds.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Time to open a TCP connection. Defaults to 10 seconds.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public static MeshtasticLinkOptions Default { get; } = new();
}
