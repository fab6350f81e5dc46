using System.Globalization;
using System.Text.RegularExpressions;

namespace Upseed.Interop.Tests;

/// <summary>
/// The fields read from <c>transmission-show</c>'s text report. Transmission 3.00 prints <c>  Hash: &lt;hex&gt;</c>;
/// 4.x prints <c>  Hash v1: &lt;hex&gt;</c> (and <c>Hash v2</c> for v2 torrents), so both spellings are read.
/// Piece Size is human-formatted with binary units ("16.00 KiB").
/// </summary>
internal sealed partial record TransmissionShowReport(
    string Name,
    string InfoHashHex,
    int PieceCount,
    long PieceSize,
    IReadOnlyList<string> Trackers)
{
    public static TransmissionShowReport Parse(string output)
    {
        var hash = Match(HashLine(), output, "Hash");
        var name = Match(NameLine(), output, "Name");
        var count = int.Parse(Match(PieceCountLine(), output, "Piece Count"), CultureInfo.InvariantCulture);
        var size = PieceSizeLine().Match(output);
        Assert.True(size.Success, $"no 'Piece Size:' line in transmission-show output:\n{output}");
        var multiplier = size.Groups[2].Value switch
        {
            "B" => 1L,
            "KiB" => 1L << 10,
            "MiB" => 1L << 20,
            "GiB" => 1L << 30,
            var unit => throw new FormatException($"unknown unit '{unit}' in transmission-show output"),
        };
        var pieceSize = (long)Math.Round(decimal.Parse(size.Groups[1].Value, CultureInfo.InvariantCulture) * multiplier);
        return new TransmissionShowReport(name, hash, count, pieceSize, ReadTrackers(output));
    }

    // Between "TRACKERS" and "FILES": "  Tier #1" headers, blank lines, and one URL per line.
    private static string[] ReadTrackers(string output)
    {
        var lines = output.Split('\n');
        var start = Array.FindIndex(lines, l => l.Trim() == "TRACKERS");
        if (start < 0)
        {
            return [];
        }

        return lines
            .Skip(start + 1)
            .TakeWhile(l => l.Trim() != "FILES")
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith("Tier #", StringComparison.Ordinal))
            .ToArray();
    }

    private static string Match(Regex regex, string output, string field)
    {
        var match = regex.Match(output);
        Assert.True(match.Success, $"no '{field}:' line in transmission-show output:\n{output}");
        return match.Groups[1].Value.Trim();
    }

    [GeneratedRegex(@"^\s*Hash(?: v1)?:\s*([0-9A-Fa-f]{40})\s*$", RegexOptions.Multiline)]
    private static partial Regex HashLine();

    [GeneratedRegex(@"^\s*Name:\s*(.+?)\r?$", RegexOptions.Multiline)]
    private static partial Regex NameLine();

    [GeneratedRegex(@"^\s*Piece Count:\s*(\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex PieceCountLine();

    [GeneratedRegex(@"^\s*Piece Size:\s*([0-9.]+)\s*(B|KiB|MiB|GiB)\s*$", RegexOptions.Multiline)]
    private static partial Regex PieceSizeLine();
}
