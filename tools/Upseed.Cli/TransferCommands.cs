using System.CommandLine;
using Upseed.Node;
using Upseed.Records;
using Upseed.Store;

namespace Upseed.Cli;

/// <summary><c>export</c>, <c>import</c>, <c>verify</c>: records as files, torrents and magnet links.</summary>
internal static class TransferCommands
{
    public static IEnumerable<Command> Build(HandlerFactory handler)
    {
        yield return ExportCommand(handler);
        yield return ImportCommand(handler);
        yield return VerifyCommand(handler);
    }

    private static Command ExportCommand(HandlerFactory handler)
    {
        var target = new Argument<string>("id") { Description = "The record (id, prefix or magnet)" };
        var record = new Option<FileInfo?>("--record") { Description = "Write the signed record's bytes to this file" };
        var torrent = new Option<FileInfo?>("--torrent") { Description = "Write the record's .torrent (any BitTorrent client reads it)" };
        var magnet = new Option<bool>("--magnet") { Description = "Print the record's magnet link" };
        var command = new Command("export", "Export a record as a file, a .torrent or a magnet link") { target, record, torrent, magnet };
        command.SetAction(handler((ctx, parse) =>
        {
            var chosen = (parse.GetValue(record) is not null ? 1 : 0) + (parse.GetValue(torrent) is not null ? 1 : 0) + (parse.GetValue(magnet) ? 1 : 0);
            if (chosen != 1)
            {
                throw CliException.Usage("Give exactly one of --record FILE, --torrent FILE, --magnet.");
            }

            var id = ctx.ResolveId(parse.GetValue(target)!);
            if (!ctx.Store.TryGetRecord(id, out var stored) || stored is null)
            {
                throw new CliException(ExitCodes.Failure, $"No record {id} in this data folder.");
            }

            if (parse.GetValue(record) is { } recordFile)
            {
                WriteFile(recordFile, stored.Bytes.Span);
                ctx.Output.WriteLine(recordFile.FullName);
            }
            else if (parse.GetValue(torrent) is { } torrentFile)
            {
                WriteFile(torrentFile, BoxLinks.TorrentFile(ctx.Store, stored));
                ctx.Output.WriteLine(torrentFile.FullName);
            }
            else
            {
                ctx.Output.WriteLine(JsonModels.Magnet(ctx.Store, stored));
            }
        }));
        return command;
    }

    private static Command ImportCommand(HandlerFactory handler)
    {
        var files = new Argument<FileInfo[]>("file") { Description = "Record files", Arity = ArgumentArity.OneOrMore };
        var command = new Command("import", "Validate and store record files (exit 3 if any is refused)") { files };
        command.SetAction(handler((ctx, parse) =>
        {
            var refused = 0;
            var results = new List<object>();
            foreach (var file in parse.GetValue(files)!)
            {
                var result = ctx.Store.Ingest(ReadRecordFile(file));
                results.Add(new { file = file.Name, outcome = result.Outcome.ToString().ToLowerInvariant(), id = result.Id?.ToHex(), reason = result.Rejection?.Code, message = result.Rejection?.Message });
                switch (result.Outcome)
                {
                    case IngestOutcome.Accepted:
                        if (!ctx.Json)
                        {
                            ctx.Output.WriteLine(result.Id!.Value.ToHex());
                        }

                        break;
                    case IngestOutcome.Duplicate:
                        ctx.Error.WriteLine($"upseed: {file.Name}: already stored ({result.Id})");
                        if (!ctx.Json)
                        {
                            ctx.Output.WriteLine(result.Id!.Value.ToHex());
                        }

                        break;
                    default:
                        refused++;
                        ctx.Error.WriteLine($"upseed: {file.Name}: rejected: {result.Rejection}");
                        break;
                }
            }

            if (ctx.Json)
            {
                ctx.WriteJson(results);
            }

            if (refused > 0)
            {
                throw new CliException(ExitCodes.Rejected, $"{refused} of {results.Count} records refused.");
            }
        }));
        return command;
    }

    private static Command VerifyCommand(HandlerFactory handler)
    {
        var file = new Argument<FileInfo>("file") { Description = "A record file" };
        var command = new Command("verify", "Check a record file without storing it (exit 3 if it would be refused)") { file };
        command.SetAction(handler((ctx, parse) =>
        {
            var bytes = ReadRecordFile(parse.GetValue(file)!);
            if (!RecordCodec.TryParse(bytes, ctx.Store.ValidationOptions, out var record, out var rejection))
            {
                if (ctx.Json)
                {
                    ctx.WriteJson(new { valid = false, reason = rejection.Code, message = rejection.Message });
                }

                throw new CliException(ExitCodes.Rejected, $"rejected: {rejection}");
            }

            if (ctx.Json)
            {
                ctx.WriteJson(new { valid = true, id = record.Id.ToHex(), kind = record.Kind.ToString().ToLowerInvariant(), author = record.AuthorHex, created = record.Created, file = record.FileName });
                return;
            }

            ctx.Output.WriteLine($"valid {record.Kind.ToString().ToLowerInvariant()} by {record.AuthorHex}, file {record.FileName}");
            ctx.Output.WriteLine(record.Id.ToHex());
        }));
        return command;
    }

    /// <summary>Reads at most one byte past the record cap, so an oversized file is refused without loading it whole.</summary>
    private static byte[] ReadRecordFile(FileInfo file)
    {
        if (!file.Exists)
        {
            throw CliException.Usage($"No file {file.FullName}.");
        }

        using var stream = file.OpenRead();
        var buffer = new byte[Math.Min(file.Length, RecordLimits.MaxRecordSize + 1L)];
        stream.ReadExactly(buffer);
        return buffer;
    }

    private static void WriteFile(FileInfo file, ReadOnlySpan<byte> bytes)
    {
        file.Directory?.Create();
        File.WriteAllBytes(file.FullName, bytes.ToArray());
    }
}
