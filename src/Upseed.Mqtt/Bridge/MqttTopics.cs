using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Upseed.Records;

namespace Upseed.Mqtt.Bridge;

/// <summary>
/// The topic scheme. A record that belongs to a community goes to <c>PREFIX/c/COMMUNITY/KIND</c>; one without a
/// community (identities, labels on an author) goes to <c>PREFIX/g/KIND</c>. KIND is <c>identity</c>, <c>post</c>
/// (comments too), <c>vote</c>, <c>retract</c>, <c>label</c> or <c>charter</c>. Community names are lowercase slugs
/// already; any byte outside <c>[a-z0-9._-]</c> is percent-encoded (<c>%2F</c>) so a name can never add a level or a
/// wildcard.
/// </summary>
public static class MqttTopics
{
    public const string CommunityLevel = "c";
    public const string GlobalLevel = "g";

    public static string KindName(RecordKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>The topic a record is published to.</summary>
    public static string For(string prefix, SignedRecord record)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(record);
        return record.Community is { } community
            ? $"{prefix}/{CommunityLevel}/{EncodeCommunity(community)}/{KindName(record.Kind)}"
            : $"{prefix}/{GlobalLevel}/{KindName(record.Kind)}";
    }

    /// <summary>The filters that take in <paramref name="communities"/> (all communities when empty) and the global topics.</summary>
    public static IReadOnlyList<string> Filters(string prefix, IReadOnlySet<string> communities)
    {
        ArgumentNullException.ThrowIfNull(communities);
        if (communities.Count == 0)
        {
            return [$"{prefix}/#"];
        }

        return [.. communities.Order(StringComparer.Ordinal).Select(c => $"{prefix}/{CommunityLevel}/{EncodeCommunity(c)}/#"), $"{prefix}/{GlobalLevel}/#"];
    }

    public static string EncodeCommunity(string community)
    {
        ArgumentNullException.ThrowIfNull(community);
        var builder = new StringBuilder(community.Length);
        foreach (var b in Encoding.UTF8.GetBytes(community))
        {
            if (b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'_' or (byte)'.')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    /// <summary>Checks that a prefix is one or more non-empty levels without wildcards.</summary>
    public static bool IsValidPrefix([NotNullWhen(true)] string? prefix) =>
        !string.IsNullOrEmpty(prefix)
        && prefix.Split('/').All(level => level.Length > 0)
        && prefix.AsSpan().IndexOfAny('+', '#') < 0
        && !prefix.Contains('\0', StringComparison.Ordinal);
}
