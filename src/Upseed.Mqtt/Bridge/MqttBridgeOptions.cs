using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Upseed.Mqtt.Client;

namespace Upseed.Mqtt.Bridge;

/// <summary>
/// What the bridge needs to know, usually parsed from one URL (<see cref="TryParse"/>):
/// <c>mqtt[s]://[USER[:PASSWORD]@]HOST[:PORT][/PREFIX][?ca=FILE&amp;cert=FILE&amp;key=FILE&amp;client-id=ID&amp;up=C1,C2&amp;down=C3&amp;protocol=auto|5|3.1.1]</c>.
/// User and password are percent-decoded. Every default is written down.
/// </summary>
public sealed record MqttBridgeOptions
{
    public const string DefaultTopicPrefix = "upseed";

    public required MqttEndpoint Endpoint { get; init; }

    /// <summary>Defaults to none (anonymous).</summary>
    public string? UserName { get; init; }

    /// <summary>Defaults to none. Never logged or shown in the status.</summary>
    public string? Password { get; init; }

    /// <summary>Topic levels every topic starts with (see <see cref="MqttTopics"/>). Defaults to <c>upseed</c>.</summary>
    public string TopicPrefix { get; init; } = DefaultTopicPrefix;

    /// <summary>
    /// The MQTT client identifier; the broker keeps the session (subscriptions, queued messages) under it, so it must
    /// stay the same across restarts. Defaults to <c>upseed</c> + 16 hex digits derived from the queue's database path
    /// and the prefix (22 characters, within what every broker accepts).
    /// </summary>
    public string? ClientId { get; init; }

    /// <summary>Communities whose records are published. Empty (the default) publishes all; records without a community always go up.</summary>
    public IReadOnlySet<string> UpCommunities { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Communities whose records are taken in. Empty (the default) takes all; records without a community always come down.</summary>
    public IReadOnlySet<string> DownCommunities { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Defaults to <see cref="MqttProtocolPreference.Auto"/> (MQTT 5, else 3.1.1).</summary>
    public MqttProtocolPreference Protocol { get; init; } = MqttProtocolPreference.Auto;

    /// <summary>Queued records read per round of the publisher. Defaults to 256.</summary>
    public int PublishBatch { get; init; } = 256;

    /// <summary>Adjusts the client options the bridge builds (timeouts, backoff, window). Defaults to none.</summary>
    public Func<MqttClientOptions, MqttClientOptions>? ConfigureClient { get; init; }

    /// <summary>The broker URL without the password, for logs and the status page.</summary>
    public string Describe() => $"{Endpoint}/{TopicPrefix}" + (UserName is null ? string.Empty : $" (user {UserName})");

    /// <summary>The client options the bridge uses; <paramref name="databasePath"/> seeds the default client id.</summary>
    public MqttClientOptions ClientOptions(string databasePath)
    {
        var options = new MqttClientOptions
        {
            ClientId = ClientId ?? DefaultClientId(databasePath),
            UserName = UserName,
            Password = Password,
            Protocol = Protocol,
        };
        return ConfigureClient?.Invoke(options) ?? options;
    }

    public static string DefaultClientId(string databasePath)
    {
        ArgumentNullException.ThrowIfNull(databasePath);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(databasePath)));
        return "upseed" + Convert.ToHexStringLower(hash.AsSpan(0, 8));
    }

    /// <summary>Parses a broker URL; on failure <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(string? url, [NotNullWhen(true)] out MqttBridgeOptions? options, [NotNullWhen(false)] out string? error)
    {
        options = null;
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            error = "expected mqtt://[user:password@]host[:port][/prefix] or mqtts://...";
            return false;
        }

        var tls = uri.Scheme switch
        {
            "mqtt" => false,
            "mqtts" => true,
            _ => (bool?)null,
        };
        if (tls is null)
        {
            error = $"the scheme is '{uri.Scheme}'; use mqtt:// or mqtts://";
            return false;
        }

        if (string.IsNullOrEmpty(uri.Host))
        {
            error = "the URL names no host";
            return false;
        }

        string? user = null;
        string? password = null;
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            user = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            password = colon < 0 ? null : Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }

        var path = Uri.UnescapeDataString(uri.AbsolutePath).Trim('/');
        var prefix = path.Length == 0 ? DefaultTopicPrefix : path;
        if (!MqttTopics.IsValidPrefix(prefix))
        {
            error = $"the topic prefix '{prefix}' must be non-empty levels without '+' or '#'";
            return false;
        }

        var endpoint = new MqttEndpoint(uri.IdnHost, uri.IsDefaultPort || uri.Port < 0 ? (tls.Value ? MqttEndpoint.DefaultTlsPort : MqttEndpoint.DefaultPort) : uri.Port, tls.Value);
        var result = new MqttBridgeOptions { Endpoint = endpoint, UserName = user, Password = password, TopicPrefix = prefix };
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
            switch (key)
            {
                case "ca":
                    result = result with { Endpoint = result.Endpoint with { CaFile = value } };
                    break;
                case "cert":
                    result = result with { Endpoint = result.Endpoint with { ClientCertificateFile = value } };
                    break;
                case "key":
                    result = result with { Endpoint = result.Endpoint with { ClientKeyFile = value } };
                    break;
                case "client-id":
                    result = result with { ClientId = value };
                    break;
                case "up":
                    result = result with { UpCommunities = Communities(value) };
                    break;
                case "down":
                    result = result with { DownCommunities = Communities(value) };
                    break;
                case "protocol":
                    MqttProtocolPreference? protocol = value switch
                    {
                        "auto" => MqttProtocolPreference.Auto,
                        "5" or "5.0" => MqttProtocolPreference.V500,
                        "3.1.1" or "4" => MqttProtocolPreference.V311,
                        _ => null,
                    };
                    if (protocol is null)
                    {
                        error = $"protocol '{value}' is not one of auto, 5, 3.1.1";
                        return false;
                    }

                    result = result with { Protocol = protocol.Value };
                    break;
                default:
                    error = $"unknown parameter '{key}' (known: ca, cert, key, client-id, up, down, protocol)";
                    return false;
            }
        }

        if (result.Endpoint.CaFile is not null && !tls.Value)
        {
            error = "a CA file needs mqtts://";
            return false;
        }

        options = result;
        error = null;
        return true;
    }

    /// <summary>Parses a broker URL.</summary>
    /// <exception cref="FormatException">The URL is not a valid broker URL; the message says why.</exception>
    public static MqttBridgeOptions Parse(string url) =>
        TryParse(url, out var options, out var error) ? options : throw new FormatException($"Invalid MQTT broker URL: {error}.");

    private static HashSet<string> Communities(string list) =>
        new(list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.Ordinal);
}
