namespace Upseed.Mqtt.Client;

/// <summary>Where a broker listens and how to reach it: plain TCP (<c>mqtt://</c>, port 1883) or TLS (<c>mqtts://</c>, port 8883).</summary>
public sealed record MqttEndpoint(string Host, int Port, bool UseTls = false)
{
    public const int DefaultPort = 1883;
    public const int DefaultTlsPort = 8883;

    /// <summary>
    /// A PEM file of CA certificates the broker's certificate must chain to (instead of the system's roots); the host
    /// name is still checked. Defaults to none: the system trust store.
    /// </summary>
    public string? CaFile { get; init; }

    /// <summary>A PEM client certificate for brokers that ask for one (with <see cref="ClientKeyFile"/>). Defaults to none.</summary>
    public string? ClientCertificateFile { get; init; }

    /// <summary>The PEM private key of <see cref="ClientCertificateFile"/>; defaults to the certificate file itself.</summary>
    public string? ClientKeyFile { get; init; }

    public override string ToString() => $"{(UseTls ? "mqtts" : "mqtt")}://{(Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host)}:{Port}";
}
