using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Upseed.Meshtastic;

/// <summary>
/// Meshtastic node numbers (32-bit, the <c>from</c>/<c>to</c> of a MeshPacket) and their text form <c>!a1b2c3d4</c>
/// (lowercase hex, as the apps and the MQTT topics write them).
/// </summary>
public static class MeshtasticNodeNumber
{
    /// <summary><c>to</c> = 0xFFFFFFFF sends to every node (mesh.proto).</summary>
    public const uint Broadcast = 0xFFFFFFFF;

    public static string ToNodeId(uint nodeNumber) => "!" + nodeNumber.ToString("x8", CultureInfo.InvariantCulture);

    /// <summary>Parses <c>!a1b2c3d4</c> (also without the <c>!</c>).</summary>
    public static bool TryParseNodeId([NotNullWhen(true)] string? text, out uint nodeNumber)
    {
        nodeNumber = 0;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var hex = text.StartsWith('!') ? text.AsSpan(1) : text.AsSpan();
        return hex.Length is > 0 and <= 8 && uint.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out nodeNumber);
    }
}
