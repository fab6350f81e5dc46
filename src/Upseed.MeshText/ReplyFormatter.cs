using System.Text;

namespace Upseed.MeshText;

/// <summary>Packs reply text into a few messages of at most N UTF-8 bytes, never cutting a character in half.</summary>
public static class ReplyFormatter
{
    private const string Ellipsis = "…";

    /// <summary>
    /// Puts whole lines into messages in order; a line too long for a message of its own is shortened with an ellipsis.
    /// Lines that do not fit in <paramref name="maxMessages"/> are left out.
    /// </summary>
    public static IReadOnlyList<string> PackLines(IEnumerable<string> lines, int maxBytes, int maxMessages)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var messages = new List<string>();
        var current = new StringBuilder();
        foreach (var raw in lines)
        {
            var line = Truncate(raw, maxBytes);
            var separator = current.Length == 0 ? 0 : 1;
            if (Encoding.UTF8.GetByteCount(current.ToString()) + separator + Encoding.UTF8.GetByteCount(line) <= maxBytes)
            {
                if (separator == 1)
                {
                    current.Append('\n');
                }

                current.Append(line);
                continue;
            }

            messages.Add(current.ToString());
            if (messages.Count == maxMessages)
            {
                return messages;
            }

            current.Clear().Append(line);
        }

        if (current.Length > 0 && messages.Count < maxMessages)
        {
            messages.Add(current.ToString());
        }

        return messages;
    }

    /// <summary>Splits one long text over up to <paramref name="maxMessages"/> messages, with an ellipsis where it was cut.</summary>
    public static IReadOnlyList<string> Split(string text, int maxBytes, int maxMessages)
    {
        ArgumentNullException.ThrowIfNull(text);
        var messages = new List<string>();
        var rest = text;
        while (rest.Length > 0 && messages.Count < maxMessages)
        {
            var last = messages.Count == maxMessages - 1;
            var take = last ? Truncate(rest, maxBytes) : Prefix(rest, maxBytes);
            messages.Add(take);
            rest = last ? string.Empty : rest[take.Length..];
        }

        return messages;
    }

    /// <summary>The text if it fits in <paramref name="maxBytes"/>, else as much as fits followed by an ellipsis.</summary>
    public static string Truncate(string text, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }

        return Prefix(text, maxBytes - Encoding.UTF8.GetByteCount(Ellipsis)).TrimEnd() + Ellipsis;
    }

    /// <summary>The longest prefix of whole characters (surrogate pairs kept together) within <paramref name="maxBytes"/>.</summary>
    private static string Prefix(string text, int maxBytes)
    {
        var bytes = 0;
        var i = 0;
        while (i < text.Length)
        {
            var width = char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? 2 : 1;
            var size = Encoding.UTF8.GetByteCount(text.AsSpan(i, width));
            if (bytes + size > maxBytes)
            {
                break;
            }

            bytes += size;
            i += width;
        }

        return text[..i];
    }
}
