using Upseed.LoRa.Mesh;
using Upseed.Metainfo;
using Upseed.Store;

namespace Upseed.MeshSim;

internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>The mesh's sink over a real store, noting when each record first arrived.</summary>
internal sealed class TimedSink(RecordStore store, TimeProvider clock, Dictionary<InfoHash, DateTimeOffset>? arrivals) : IMeshRecordSink
{
    public MeshIngestResult Ingest(ReadOnlyMemory<byte> canonicalRecord)
    {
        var result = store.Ingest(canonicalRecord);
        if (result.Outcome == IngestOutcome.Accepted)
        {
            arrivals?.TryAdd(result.Record!.Id, clock.GetUtcNow());
            return new MeshIngestResult(MeshIngestOutcome.Accepted, result.Record);
        }

        if (result.Outcome == IngestOutcome.Duplicate && store.TryGetRecord(result.Id!.Value, out var held))
        {
            return new MeshIngestResult(MeshIngestOutcome.Duplicate, held);
        }

        return new MeshIngestResult(MeshIngestOutcome.Rejected, null);
    }
}

internal static class Corpus
{
    public static IReadOnlyList<(string Title, string Body)> Read(string path)
    {
        var posts = new List<(string, string)>();
        string? title = null;
        var body = new System.Text.StringBuilder();
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
