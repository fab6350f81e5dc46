using System.Globalization;
using System.Text;

namespace Upseed.Torrent.Tests;

/// <summary>
/// Reads byte vectors from tests/TestVectors (copied next to the test assembly). A line is a name, whitespace, then
/// the bytes as text where <c>\xNN</c> is one byte and <c>\\</c> a backslash; every other character is its ASCII
/// byte. Lines starting with '#' are comments.
/// </summary>
internal static class TestVectorFile
{
    public static IReadOnlyDictionary<string, byte[]> Read(string name)
    {
        var vectors = new Dictionary<string, byte[]>();
        foreach (var raw in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "TestVectors", name)))
        {
            var line = raw.TrimEnd();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var split = line.IndexOfAny([' ', '\t']);
            vectors.Add(line[..split], Unescape(line[split..].TrimStart()));
        }

        return vectors;
    }

    public static byte[] Unescape(string text)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] == '\\')
            {
                bytes.Add((byte)'\\');
                i++;
            }
            else if (text[i] == '\\' && i + 3 < text.Length && text[i + 1] == 'x')
            {
                bytes.Add(byte.Parse(text.AsSpan(i + 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 3;
            }
            else
            {
                bytes.Add(checked((byte)text[i]));
            }
        }

        return [.. bytes];
    }

    /// <summary>The inverse of <see cref="Unescape"/>, for messages that show a vector.</summary>
    public static string Escape(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder();
        foreach (var b in bytes)
        {
            text.Append(b switch
            {
                (byte)'\\' => "\\\\",
                >= 0x20 and < 0x7F => ((char)b).ToString(),
                _ => $"\\x{b:x2}",
            });
        }

        return text.ToString();
    }
}
