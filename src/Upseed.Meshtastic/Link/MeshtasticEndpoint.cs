using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Upseed.Meshtastic.Link;

/// <summary>
/// Where the radio is: <c>tcp://HOST[:PORT]</c> (the radio's network API, port 4403 by default) or
/// <c>serial:/dev/ttyACM0</c> (USB serial at 115200 8N1).
/// </summary>
public sealed record MeshtasticEndpoint
{
    /// <summary>The TCP port of the radio's network API [firmware src/mesh/api/ServerAPI.h].</summary>
    public const int DefaultTcpPort = 4403;

    /// <summary>The serial speed of Meshtastic's USB serial API.</summary>
    public const int DefaultBaudRate = 115200;

    private MeshtasticEndpoint()
    {
    }

    public bool IsSerial => DevicePath is not null;

    /// <summary>The host, for TCP.</summary>
    public string? Host { get; private init; }

    public int Port { get; private init; }

    /// <summary>The tty, for serial.</summary>
    public string? DevicePath { get; private init; }

    public int BaudRate { get; private init; }

    public static MeshtasticEndpoint Tcp(string host, int port = DefaultTcpPort)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(host);
        ArgumentOutOfRangeException.ThrowIfLessThan(port, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(port, 65535);
        return new MeshtasticEndpoint { Host = host, Port = port };
    }

    public static MeshtasticEndpoint Serial(string devicePath, int baudRate = DefaultBaudRate)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(devicePath);
        return new MeshtasticEndpoint { DevicePath = devicePath, BaudRate = baudRate };
    }

    /// <summary>Parses <c>tcp://HOST[:PORT]</c> or <c>serial:/dev/PATH</c>; <paramref name="error"/> says what is wrong otherwise.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out MeshtasticEndpoint? endpoint, [NotNullWhen(false)] out string? error)
    {
        endpoint = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "No radio address given (tcp://HOST:PORT or serial:/dev/ttyACM0).";
            return false;
        }

        if (text.StartsWith("serial:", StringComparison.OrdinalIgnoreCase))
        {
            var path = text["serial:".Length..];
            if (path.StartsWith("//", StringComparison.Ordinal))
            {
                path = path[2..];
            }

            if (!path.StartsWith('/') || path.Contains('\0', StringComparison.Ordinal))
            {
                error = $"'{text}': a serial radio is named by its device path, for example serial:/dev/ttyACM0.";
                return false;
            }

            endpoint = Serial(path);
            return true;
        }

        if (text.StartsWith("tcp://", StringComparison.OrdinalIgnoreCase)
            && Uri.TryCreate(text, UriKind.Absolute, out var uri)
            && !string.IsNullOrEmpty(uri.Host)
            && uri.AbsolutePath is "" or "/"
            && string.IsNullOrEmpty(uri.Query))
        {
            endpoint = Tcp(uri.IdnHost.Trim('[', ']'), uri.IsDefaultPort || uri.Port < 0 ? DefaultTcpPort : uri.Port);
            return true;
        }

        error = $"'{text}' is not a radio address: use tcp://HOST:PORT (port {DefaultTcpPort} by default) or serial:/dev/ttyACM0.";
        return false;
    }

    public override string ToString() => IsSerial
        ? "serial:" + DevicePath
        : string.Create(CultureInfo.InvariantCulture, $"tcp://{(Host!.Contains(':', StringComparison.Ordinal) ? "[" + Host + "]" : Host)}:{Port}");
}
