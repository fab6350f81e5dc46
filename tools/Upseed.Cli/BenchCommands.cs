using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Spectre.Console;
using Upseed.Crypto;
using Upseed.Records;
using Upseed.Store;

namespace Upseed.Cli;

/// <summary>
/// <c>upseed bench gen|ingest|query</c>: fill a data folder with realistic signed data and measure the store;
/// <c>bench seed</c> and <c>bench latency</c> (<see cref="BenchSeedCommand"/>, <see cref="BenchLatencyCommand"/>) measure the node.
/// Results go into the README's performance table with the command that produced them.
/// </summary>
internal static class BenchCommands
{
    private static readonly string[] s_words =
    [
        "the", "a", "garden", "tomato", "seed", "water", "soil", "community", "box", "relay", "mesh", "radio", "post",
        "comment", "vote", "neighbour", "repair", "bicycle", "recipe", "bread", "winter", "solar", "battery", "library",
        "meeting", "school", "market", "river", "bridge", "street", "music", "festival", "question", "answer", "idea",
        "project", "help", "found", "lost", "cat", "dog", "weather", "rain", "sun", "tomorrow", "today", "and", "of",
        "to", "in", "is", "for", "on", "with", "that", "this", "we", "you", "it", "our", "new", "old", "good", "great",
    ];

    public static Command Build(HandlerFactory handler)
    {
        var bench = new Command("bench", "Generate data and measure the store and the node (see README, Performance)");
        bench.Subcommands.Add(GenCommand(handler));
        bench.Subcommands.Add(IngestCommand(handler));
        bench.Subcommands.Add(QueryCommand(handler));
        bench.Subcommands.Add(BenchSeedCommand.Build(handler));
        bench.Subcommands.Add(BenchSeedCommand.BuildLoad(handler));
        bench.Subcommands.Add(BenchLatencyCommand.Build(handler));
        return bench;
    }

    private static Command GenCommand(HandlerFactory handler)
    {
        var posts = new Option<int>("--posts") { Description = "How many posts", Required = true };
        var communities = new Option<int>("--communities") { Description = "Spread over this many communities (bench-0...)", DefaultValueFactory = _ => 10 };
        var identities = new Option<int>("--identities") { Description = "Distinct authors and voters (default: posts/50, at least 20)" };
        var votes = new Option<double>("--votes-per-post") { Description = "Average votes per post", DefaultValueFactory = _ => 1.0 };
        var days = new Option<int>("--days") { Description = "Spread creation times over the last N days", DefaultValueFactory = _ => 365 };
        var bodyBytes = new Option<int>("--body-bytes") { Description = "Body size of each post, in bytes", DefaultValueFactory = _ => 300 };
        var seed = new Option<int>("--seed") { Description = "Random seed", DefaultValueFactory = _ => 1 };
        var pin = new Option<bool>("--pin") { Description = "Pin every generated post (reason \"policy\"), so the node seeds them (for bench seed)" };
        var command = new Command("gen", "Fill the data folder with N valid signed posts and votes from many identities (proof of work off for bench-* communities)")
        {
            posts, communities, identities, votes, days, bodyBytes, seed, pin,
        };
        command.SetAction(handler((ctx, parse) =>
        {
            var count = parse.GetValue(posts);
            var k = parse.GetValue(communities);
            if (count < 1 || k < 1 || parse.GetValue(days) < 1 || parse.GetValue(bodyBytes) is < 0 or > RecordLimits.MaxBodyBytes)
            {
                throw CliException.Usage("--posts, --communities and --days must be positive; --body-bytes 0 to 40000.");
            }

            var generator = new BenchGenerator(ctx, count, k, parse.GetValue(identities), parse.GetValue(votes), parse.GetValue(days), parse.GetValue(bodyBytes), parse.GetValue(seed), parse.GetValue(pin));
            var report = generator.Run();
            if (ctx.Json)
            {
                ctx.WriteJson(report);
            }
            else
            {
                ctx.Output.WriteLine($"Generated {report.Posts} posts and {report.Votes} votes from {report.Identities} identities in {report.Seconds:0.0} s ({report.RecordsPerSecond:0} records/s).");
                ctx.Output.WriteLine($"Store: {report.StoreBytes / 1048576.0:0.0} MiB, {report.StoreBytesPerPost:0} bytes per post (average record {report.AverageRecordBytes:0} bytes).");
                if (report.Pinned > 0)
                {
                    ctx.Output.WriteLine($"Pinned {report.Pinned} posts (reason policy).");
                }
            }
        }));
        return command;
    }

    private static Command IngestCommand(HandlerFactory handler)
    {
        var records = new Option<int>("--records") { Description = "How many records to ingest", DefaultValueFactory = _ => 20_000 };
        var batch = new Option<int>("--batch") { Description = "Records per transaction", DefaultValueFactory = _ => 500 };
        var command = new Command("ingest", "Records verified and stored per second, next to the raw libsodium verify rate in the same run")
        {
            records, batch,
        };
        command.SetAction(handler((ctx, parse) =>
        {
            var n = parse.GetValue(records);
            var batchSize = Math.Max(1, parse.GetValue(batch));
            ctx.Error.WriteLine($"Signing {n} records...");
            var made = MakeIngestSet(n);

            // Raw verify: exactly the messages ingest verifies (domain prefix + record without its signature).
            var messages = made.Select(r => SignedMessage(r)).ToList();
            Ed25519.Verify(made[0].Author.Span, messages[0].Message, messages[0].Signature); // warm up
            var watch = Stopwatch.StartNew();
            var valid = 0;
            for (var i = 0; i < made.Count; i++)
            {
                valid += Ed25519.Verify(made[i].Author.Span, messages[i].Message, messages[i].Signature) ? 1 : 0;
            }

            var verifySeconds = watch.Elapsed.TotalSeconds;
            if (valid != made.Count)
            {
                throw new CliException("A freshly made signature did not verify; libsodium is not working as expected.");
            }

            var verifyRate = made.Count / verifySeconds;
            var single = MeasureIngest(made, batchSize, threads: 1);
            var parallel = MeasureIngest(made, batchSize, threads: Environment.ProcessorCount);
            var report = new
            {
                records = made.Count,
                batch = batchSize,
                cores = Environment.ProcessorCount,
                verifyPerSecond = Math.Round(verifyRate),
                ingestPerSecondOneThread = Math.Round(single),
                ingestPerSecond = Math.Round(parallel),
                ratioOneThread = Math.Round(single / verifyRate, 3),
                ratio = Math.Round(parallel / verifyRate, 3),
            };
            if (ctx.Json)
            {
                ctx.WriteJson(report);
            }
            else
            {
                ctx.Output.WriteLine($"raw libsodium verify, one thread:                  {verifyRate,8:0} signatures/s");
                ctx.Output.WriteLine($"ingest, signatures checked on 1 thread:            {single,8:0} records/s  ({single / verifyRate:0.00} of raw verify)");
                ctx.Output.WriteLine($"ingest, signatures checked on {Environment.ProcessorCount} threads:           {parallel,8:0} records/s  ({parallel / verifyRate:0.00} of raw verify)");
                ctx.Output.WriteLine($"(ingest = parse, check fields, verify signature, derive id, store, commit every {batchSize})");
            }
        }));
        return command;
    }

    /// <summary>Records per second through <see cref="RecordStore.IngestMany"/> into a fresh store.</summary>
    private static double MeasureIngest(List<SignedRecord> made, int batchSize, int threads)
    {
        var folder = Path.Combine(Path.GetTempPath(), "upseed-bench-ingest-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var store = RecordStore.Open(folder, new StoreOptions { VerifyParallelism = threads });
            store.SetSetting("pow.post.bench-ingest", "0");
            var batches = new List<List<ReadOnlyMemory<byte>>>();
            for (var start = 0; start < made.Count; start += batchSize)
            {
                batches.Add(made.Skip(start).Take(batchSize).Select(r => r.Bytes).ToList());
            }

            var watch = Stopwatch.StartNew();
            var accepted = batches.Sum(batch => store.IngestMany(batch).Count(r => r.Outcome == IngestOutcome.Accepted));
            var seconds = watch.Elapsed.TotalSeconds;
            if (accepted != made.Count)
            {
                throw new CliException($"Only {accepted} of {made.Count} records were accepted.");
            }

            return made.Count / seconds;
        }
        finally
        {
            TryDelete(folder);
        }
    }

    private static Command QueryCommand(HandlerFactory handler)
    {
        var runs = new Option<int>("--runs") { Description = "Runs per query", DefaultValueFactory = _ => 200 };
        var command = new Command("query", "Latency of listings over the data folder (run bench gen first): p50/p95/max in ms") { runs };
        command.SetAction(handler((ctx, parse) =>
        {
            var n = Math.Max(10, parse.GetValue(runs));
            var store = ctx.Store;
            var posts = store.Count(RecordKind.Post);
            if (posts == 0)
            {
                throw new CliException("The data folder has no posts; run 'upseed bench gen --posts N' first.");
            }

            var queries = new (string Name, ListingQuery Query)[]
            {
                ("top week, all communities", new ListingQuery { Sort = ListingSort.Top, Period = TopPeriod.Week, Limit = 25 }),
                ("top week, one community", new ListingQuery { Sort = ListingSort.Top, Period = TopPeriod.Week, Limit = 25, Community = "bench-0" }),
                ("top month, all communities", new ListingQuery { Sort = ListingSort.Top, Period = TopPeriod.Month, Limit = 25 }),
                ("hot, all communities", new ListingQuery { Sort = ListingSort.Hot, Limit = 25 }),
                ("new, all communities, page 10", new ListingQuery { Sort = ListingSort.New, Limit = 25, Offset = 250 }),
            };
            var rows = new List<object>();
            foreach (var (name, query) in queries)
            {
                store.Forum.List(query); // warm the page cache as a running node would be
                var times = new double[n];
                for (var i = 0; i < n; i++)
                {
                    var watch = Stopwatch.StartNew();
                    store.Forum.List(query);
                    times[i] = watch.Elapsed.TotalMilliseconds;
                }

                Array.Sort(times);
                var row = new { query = name, posts, runs = n, p50 = Math.Round(times[n / 2], 2), p95 = Math.Round(times[(int)(n * 0.95) - 1], 2), max = Math.Round(times[^1], 2) };
                rows.Add(row);
                if (!ctx.Json)
                {
                    ctx.Output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-32} p50 {row.p50,7:0.00} ms  p95 {row.p95,7:0.00} ms  max {row.max,7:0.00} ms  ({posts} posts)"));
                }
            }

            if (ctx.Json)
            {
                ctx.WriteJson(rows);
            }
        }));
        return command;
    }

    private static List<SignedRecord> MakeIngestSet(int n)
    {
        var options = new RecordValidationOptions { RequiredWork = (_, _) => 0 };
        var authors = Enumerable.Range(0, 64).Select(_ => new RecordFactory(Ed25519.Generate(), options)).ToArray();
        var made = new SignedRecord[n];
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var posts = Math.Max(1, n / 2);
        Parallel.For(0, posts, i =>
        {
            var random = new Random(i);
            made[i] = authors[i % authors.Length].Post("bench-ingest", $"Post {i}: {Words(random, 8)}", Words(random, 50), now - random.Next(86_400 * 30));
        });
        Parallel.For(posts, n, i =>
        {
            var random = new Random(i);
            var target = (PostRecord)made[random.Next(posts)];
            made[i] = authors[(i * 7) % authors.Length].Vote("bench-ingest", target.Id, 1, now - random.Next(86_400));
        });
        return [.. made];
    }

    private static (byte[] Message, byte[] Signature) SignedMessage(SignedRecord record)
    {
        // The signed message is the domain prefix plus the record without its "3:sig64:<64 bytes>" entry.
        var bytes = record.Bytes.Span;
        var at = bytes.IndexOf("3:sig64:"u8);
        var signature = bytes.Slice(at + 8, Ed25519.SignatureSize).ToArray();
        var message = new byte[RecordCodec.SignatureDomain.Length + bytes.Length - 8 - Ed25519.SignatureSize];
        RecordCodec.SignatureDomain.CopyTo(message);
        bytes[..at].CopyTo(message.AsSpan(RecordCodec.SignatureDomain.Length));
        bytes[(at + 8 + Ed25519.SignatureSize)..].CopyTo(message.AsSpan(RecordCodec.SignatureDomain.Length + at));
        return (message, signature);
    }

    internal static string Words(Random random, int count)
    {
        var text = new StringBuilder(count * 6);
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                text.Append(' ');
            }

            text.Append(s_words[random.Next(s_words.Length)]);
        }

        return text.ToString();
    }

    internal static string Body(Random random, int bytes)
    {
        var text = new StringBuilder(bytes + 16);
        while (text.Length < bytes)
        {
            text.Append(s_words[random.Next(s_words.Length)]);
            text.Append(random.Next(12) == 0 ? ".\n" : " ");
        }

        return text.ToString(0, bytes);
    }

    private static void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
    }

    /// <summary>The bench gen run: signing in parallel, storing in batches, progress on stderr.</summary>
    private sealed class BenchGenerator(CliContext ctx, int posts, int communities, int identities, double votesPerPost, int days, int bodyBytes, int seed, bool pin)
    {
        private const int BatchSize = 2_000;

        public sealed record Report(int Posts, int Votes, int Identities, double Seconds, double RecordsPerSecond, long StoreBytes, double StoreBytesPerPost, double AverageRecordBytes, int Pinned);

        public Report Run()
        {
            var store = ctx.Store;
            for (var c = 0; c < communities; c++)
            {
                store.SetSetting($"pow.post.bench-{c}", "0");
            }

            var authorCount = identities > 0 ? identities : Math.Max(20, posts / 50);
            var options = store.ValidationOptions;
            var authors = new RecordFactory[authorCount];
            Parallel.For(0, authorCount, i => authors[i] = new RecordFactory(Ed25519.FromSeed(SeedFor(seed, i)), options));

            var now = ctx.Environment.Clock.GetUtcNow().ToUnixTimeSeconds();
            var span = (long)days * 86_400;
            var watch = Stopwatch.StartNew();
            long recordBytes = 0;
            var votes = 0;
            var pinned = 0;
            Progress(posts, progress =>
            {
                for (var start = 0; start < posts; start += BatchSize)
                {
                    var end = Math.Min(posts, start + BatchSize);
                    var batch = new SignedRecord[end - start];
                    Parallel.For(start, end, i =>
                    {
                        var random = new Random(HashCode.Combine(seed, i));
                        var author = authors[random.Next(authorCount)];
                        var created = now - (long)(random.NextDouble() * span);
                        batch[i - start] = author.Post($"bench-{i % communities}", $"{i}: {Words(random, 3 + random.Next(8))}", Body(random, bodyBytes), created);
                    });

                    // Votes on this batch's posts, from random identities, dated after the post.
                    var voteList = new List<SignedRecord>();
                    var random = new Random(HashCode.Combine(seed, start, "votes"));
                    var plan = new List<(PostRecord Post, int Voter, int Value, long Created)>();
                    foreach (PostRecord post in batch)
                    {
                        var n = (int)Math.Round(random.NextDouble() * 2 * votesPerPost);
                        for (var v = 0; v < n; v++)
                        {
                            var age = now - post.Created;
                            plan.Add((post, random.Next(authorCount), random.Next(5) == 0 ? -1 : 1, post.Created + (long)(random.NextDouble() * age)));
                        }
                    }

                    var voteRecords = new SignedRecord[plan.Count];
                    Parallel.For(0, plan.Count, i =>
                    {
                        var (post, voter, value, created) = plan[i];
                        voteRecords[i] = authors[voter].Vote(post.CommunityName, post.Id, value, created);
                    });
                    voteList.AddRange(voteRecords);

                    var all = new List<SignedRecord>(batch.Length + voteList.Count);
                    all.AddRange(batch);
                    all.AddRange(voteList);
                    var results = store.IngestAuthenticated(all);
                    votes += results.Skip(batch.Length).Count(r => r.Outcome == IngestOutcome.Accepted);
                    if (pin)
                    {
                        pinned += store.PinMany(batch.Select(p => p.Id), PinReason.Policy);
                    }

                    recordBytes += batch.Sum(p => (long)p.Bytes.Length);
                    progress(end);
                }
            });

            var seconds = watch.Elapsed.TotalSeconds;
            var size = store.SizeOnDisk();
            return new Report(posts, votes, authorCount, Math.Round(seconds, 1), Math.Round((posts + votes) / seconds), size,
                Math.Round((double)size / posts), Math.Round((double)recordBytes / posts), pinned);
        }

        private void Progress(int total, Action<Action<int>> work)
        {
            if (!Console.IsErrorRedirected && ReferenceEquals(ctx.Error, Console.Error))
            {
                var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
                console.Progress().Start(p =>
                {
                    var task = p.AddTask("Generating posts and votes", maxValue: total);
                    work(done => task.Value = done);
                });
                return;
            }

            var lastTenth = -1;
            work(done =>
            {
                var tenth = (int)(done * 10L / total);
                if (tenth != lastTenth)
                {
                    lastTenth = tenth;
                    ctx.Error.WriteLine($"bench gen: {done}/{total} posts");
                }
            });
        }

        private static byte[] SeedFor(int seed, int index)
        {
            var bytes = new byte[Ed25519.SeedSize];
            BitConverter.TryWriteBytes(bytes, seed);
            BitConverter.TryWriteBytes(bytes.AsSpan(4), index);
            "upseed-bench"u8.CopyTo(bytes.AsSpan(8));
            return bytes;
        }
    }
}
