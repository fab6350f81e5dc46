// Upseed.MeshSim: LoRa benchmarks on a SIMULATED mesh. There is no radio here: airtime comes from Semtech's formula,
// the medium is Upseed.LoRa.Simulation (range graph, loss, collisions, duty cycle) on a virtual clock.
using System.Globalization;
using System.Text;
using Upseed.Crypto;
using Upseed.LoRa.Airtime;
using Upseed.LoRa.Frames;
using Upseed.LoRa.Mesh;
using Upseed.LoRa.Radio;
using Upseed.LoRa.Simulation;
using Upseed.MeshSim;
using Upseed.Records;
using Upseed.Store;

var command = args.Length > 0 ? args[0] : "all";
var seeds = ArgInt("--seeds", 5);
var records = ArgInt("--records", 20);
var loss = ArgDouble("--loss", 0.10);
var hops = ArgInt("--hops", 10);
var clock = new FixedTime(DateTimeOffset.FromUnixTimeSeconds(1_763_781_234));
var validation = new RecordValidationOptions { Clock = clock, RequiredWork = (_, _) => 0 };
var corpus = Corpus.Read(Path.Combine(AppContext.BaseDirectory, "Corpus", "posts.txt"));
var inv = CultureInfo.InvariantCulture;

if (command is "all" or "compression")
{
    Compression();
}

if (command is "all" or "airtime")
{
    Airtime();
}

if (command is "all" or "line")
{
    Line();
}

return 0;

void Compression()
{
    var dictionary = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "forum-dictionary.txt"));
    Console.WriteLine($"== Text compression: {corpus.Count} held-out forum posts (community + title + body, as in a compact record's text part)");
    var texts = corpus.Select(p => Encoding.UTF8.GetBytes($"town\0{p.Title}\0{p.Body}")).ToList();
    void Row(string name, Func<byte[], int> size)
    {
        var sizes = texts.Select(size).ToList();
        Console.WriteLine(string.Create(inv, $"  {name,-42} mean {sizes.Average(),6:F1} B   max {sizes.Max(),4} B"));
    }

    Row("none (UTF-8)", t => t.Length);
    Row("Deflate (raw, level SmallestSize)", CompressionOptions.Deflate);
    Row($"Deflate + {dictionary.Length} B preset dictionary", t => CompressionOptions.DeflateWithDictionary(t, dictionary));
    Row("Brotli q11, window 2^10", t => CompressionOptions.Brotli(t, 10));
    Row("Brotli q11, window 2^16 (chosen)", t => CompressionOptions.Brotli(t, 16));
    Row($"Brotli q11 w16 + {dictionary.Length} B dictionary", t => CompressionOptions.BrotliWithDictionary(t, dictionary, 16));
    Console.WriteLine();
}

void Airtime()
{
    var preset = LoRaModemPreset.LongFast;
    var factory = new RecordFactory(Key(1), validation);
    var (title, longBody) = corpus.First(p => p.Body.Length >= 280);
    var body = longBody[..280];
    var post = factory.Post("town", title, body);
    var vote = factory.Vote("town", post.Id, 1);
    Console.WriteLine($"== Bytes on air and airtime, {preset.Name} (SF{preset.SpreadingFactor}/{preset.BandwidthHz / 1000} kHz/4:{preset.CodingRateDenominator}), Meshtastic header and Data overhead included");
    Report($"post, {title.Length}-char title + 280-char body", post);
    Report("vote", vote);

    // The same text as a plain Meshtastic text message (TEXT_MESSAGE_APP, no author, no signature, no id).
    var text = Encoding.UTF8.GetBytes($"{post.Title}\n{body}");
    const int MaxText = 233; // DATA_PAYLOAD_LEN
    var packets = (text.Length + MaxText - 1) / MaxText;
    var onAir = 0;
    var airtime = TimeSpan.Zero;
    for (var i = 0; i < packets; i++)
    {
        var part = Math.Min(MaxText, text.Length - (i * MaxText));
        var pl = MeshtasticPacketSize.PhyPayloadLength(part, MeshtasticPacketSize.TextMessagePort);
        onAir += pl;
        airtime += preset.TimeOnAir(pl);
    }

    Console.WriteLine(string.Create(inv, $"  {"same text as Meshtastic text message",-44} text {text.Length} B -> {packets} packets (233 B max each), {onAir} B on air, {airtime.TotalMilliseconds:F0} ms (unsigned, no author)"));
    var votePl = MeshtasticPacketSize.PhyPayloadLength(2, MeshtasticPacketSize.TextMessagePort);
    Console.WriteLine(string.Create(inv, $"  {"a '+1' text message",-44} 2 B -> {votePl} B on air, {preset.TimeOnAir(votePl).TotalMilliseconds:F0} ms (unsigned)"));

    var frames = corpus.Select(p => MeshFrameCodec.FragmentCount(CompactRecordCodec.Encode(factory.Post("town", p.Title, p.Body)).Length, RadioLinkDefaults.MaxPayloadSize)).ToList();
    var compactSizes = corpus.Select(p => CompactRecordCodec.Encode(factory.Post("town", p.Title, p.Body)).Length).ToList();
    var bencodeSizes = corpus.Select(p => factory.Post("town", p.Title, p.Body).Bytes.Length).ToList();
    Console.WriteLine(string.Create(inv, $"  frames per post over the corpus ({corpus.Count} posts, 280-350 characters with title): {string.Join(", ", frames.GroupBy(f => f).OrderBy(g => g.Key).Select(g => $"{g.Count()} x {g.Key} frame(s)"))}; compact mean {compactSizes.Average():F0} B vs bencode {bencodeSizes.Average():F0} B"));
    Console.WriteLine();

    void Report(string name, SignedRecord record)
    {
        var compact = CompactRecordCodec.Encode(record);
        MeshFrameCodec.TryFragment(compact, MeshFrameCodec.MessageIdOf(record.Id), 12, RadioLinkDefaults.MaxPayloadSize, out var parts);
        var phy = parts.Sum(f => MeshtasticPacketSize.PhyPayloadLength(f.Length));
        var time = parts.Aggregate(TimeSpan.Zero, (t, f) => t + preset.TimeOnAir(MeshtasticPacketSize.PhyPayloadLength(f.Length)));
        Console.WriteLine(string.Create(inv, $"  {name,-44} bencode {record.Bytes.Length} B -> compact {compact.Length} B -> {parts.Length} frame(s) of {string.Join("+", parts.Select(f => f.Length))} B payload, {phy} B on air, {time.TotalMilliseconds:F0} ms"));
    }
}

void Line()
{
    Console.WriteLine(string.Create(inv, $"== Delivery across a {hops}-hop simulated line ({hops + 1} boxes), {loss:P0} loss per link, LongFast, EU_868 10%: {records} posts and {records} votes from box 1, one record every 90 s; {seeds} seeds"));
    var latencies = new List<double>();
    int delivered = 0, total = 0;
    double maxDuty = 0;
    long frames = 0, collisions = 0;
    for (var seed = 1; seed <= seeds; seed++)
    {
        var result = RunLine(seed);
        latencies.AddRange(result.Latencies);
        delivered += result.Latencies.Count;
        total += result.Total;
        maxDuty = Math.Max(maxDuty, result.MaxDuty);
        frames += result.Frames;
        collisions += result.Collisions;
    }

    latencies.Sort();
    double Pct(double p) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];
    Console.WriteLine(string.Create(inv, $"  delivered to the far end within 2 h: {delivered}/{total} = {(double)delivered / total:P1}"));
    Console.WriteLine(string.Create(inv, $"  latency to the far end: p50 {Pct(0.5):F0} s, p90 {Pct(0.9):F0} s, max {Pct(1.0):F0} s"));
    Console.WriteLine(string.Create(inv, $"  frames on air per record delivered end to end: {(double)frames / Math.Max(1, delivered):F1} ({frames} in all, {collisions} receptions lost to collisions); busiest box used {maxDuty:P1} of its hourly allowance"));
}

(List<double> Latencies, int Total, double MaxDuty, long Frames, long Collisions) RunLine(int seed)
{
    var folder = Path.Combine(Path.GetTempPath(), "upseed-meshsim", Guid.NewGuid().ToString("N"));
    var medium = new SimulatedRadioMedium(new SimulatedMediumOptions { Seed = seed });
    var simulation = new MeshSimulation(medium);
    var radios = medium.AddLine(hops + 1, new SimulatedLink(loss));
    var stores = new List<RecordStore>();
    var relays = new List<MeshRelay>();
    var arrivals = new Dictionary<Upseed.Metainfo.InfoHash, DateTimeOffset>();
    try
    {
        for (var i = 0; i <= hops; i++)
        {
            var store = RecordStore.Open(Path.Combine(folder, i.ToString(inv)), new StoreOptions { Clock = medium.Clock, SynchronousFull = false });
            store.SetSetting("pow.post", "0");
            stores.Add(store);
            var last = i == hops;
            var sink = new TimedSink(store, medium.Clock, last ? arrivals : null);
            var scheduler = new AirtimeScheduler(new AirtimeSchedulerOptions(), medium.Clock);
            var relay = new MeshRelay(radios[i].LocalNode, radios[i].MaxPayloadSize, sink, null, null, scheduler, medium.Clock, new Random((seed * 100) + i));
            relays.Add(relay);
            simulation.Add(radios[i], relay);
        }

        // Neighbours learn of each other from the first digests (beacons) before traffic starts.
        simulation.RunFor(TimeSpan.FromMinutes(16));
        var options = new RecordValidationOptions { Clock = medium.Clock, RequiredWork = (_, _) => 0 };
        var alice = new RecordFactory(Key(1), options);
        var bob = new RecordFactory(Key(2), options);
        var sent = new Dictionary<Upseed.Metainfo.InfoHash, DateTimeOffset>();
        for (var i = 0; i < records; i++)
        {
            var (title, body) = corpus[i % corpus.Count];
            var post = alice.Post("town", title, body);
            var vote = bob.Vote("town", post.Id, 1);
            foreach (var record in new SignedRecord[] { post, vote })
            {
                stores[0].Ingest(record.Bytes);
                relays[0].Publish(record, own: true);
                sent[record.Id] = medium.Clock.Now;
                simulation.RunFor(TimeSpan.FromSeconds(90));
            }
        }

        simulation.RunUntil(() => sent.Keys.All(arrivals.ContainsKey), TimeSpan.FromHours(2));
        var latencies = sent.Where(s => arrivals.ContainsKey(s.Key) && arrivals[s.Key] - s.Value <= TimeSpan.FromHours(2))
            .Select(s => (arrivals[s.Key] - s.Value).TotalSeconds).ToList();
        var maxDuty = relays.Max(r => r.Usage().Hours.Max(h => h.Airtime) / r.Usage().Allowance);
        return (latencies, sent.Count, maxDuty, medium.Statistics.Transmissions, medium.Statistics.Collisions);
    }
    finally
    {
        foreach (var store in stores)
        {
            store.Dispose();
        }

        Directory.Delete(folder, recursive: true);
    }
}

static Ed25519KeyPair Key(int n)
{
    var seed = new byte[Ed25519.SeedSize];
    BitConverter.TryWriteBytes(seed, n);
    return Ed25519.FromSeed(seed);
}

int ArgInt(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

double ArgDouble(string name, double fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
