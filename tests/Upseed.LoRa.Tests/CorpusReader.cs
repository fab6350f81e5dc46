using System.Text;

namespace Upseed.LoRa.Tests;

internal static class CorpusReader
{
    public static IReadOnlyList<(string Title, string Body)> Read(string path)
    {
        var posts = new List<(string, string)>();
        string? title = null;
        var body = new StringBuilder();
        foreach (var line in File.ReadLines(path).Append(string.Empty))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith("title: ", StringComparison.Ordinal))
            {
                title = line["title: ".Length..];
            }
            else if (line.Length == 0)
            {
                if (title is not null)
                {
                    posts.Add((title, body.ToString().TrimEnd()));
                }

                title = null;
                body.Clear();
            }
            else
            {
                body.Append(line).Append('\n');
            }
        }

        return posts;
    }
}
