using System.Diagnostics;
using System.Text;
using Upseed.Bencode;
using Upseed.Metainfo;
using static Upseed.Records.Tests.RecordKit;

namespace Upseed.Records.Tests;

/// <summary>
/// Mutation fuzzing of <see cref="RecordCodec.TryParse"/> with fixed seeds. The oracle: it never throws; a refusal
/// carries a reason and a sentence; an acceptance (rare: a mutation the signature does not cover, or a re-signed
/// mutant) is a record that holds every invariant. A failure prints the input in hex, ready to become a regression test.
/// </summary>
public class RecordCodecFuzzTests
{
    private static readonly byte[] s_interesting = "ilde:-0123456789"u8.ToArray();

    private readonly FixedClock _clock = new();
    private readonly RecordValidationOptions _options;
    private readonly List<byte[]> _seeds;

    public RecordCodecFuzzTests()
    {
        _options = Options(_clock);
        var alice = Factory(Alice, _clock);
        _seeds =
        [
            alice.Identity("Alice", "Grows tomatoes.").Bytes.ToArray(),
            alice.Post("gardening", "First tomatoes 🍅", "They are red.\nAnd tasty.").Bytes.ToArray(),
            alice.Comment("gardening", SomeId, OtherId, "Same here.").Bytes.ToArray(),
            alice.Vote("gardening", SomeId, -1).Bytes.ToArray(),
            alice.Retract("gardening", SomeId, OtherId).Bytes.ToArray(),
            alice.LabelRecord("spam", SomeId, null, "gardening", "Link farm.").Bytes.ToArray(),
            alice.LabelRecord("off-topic", null, Bob.PublicKey).Bytes.ToArray(),
            alice.Charter("gardening", "Be kind.", [Alice.PublicKey, Bob.PublicKey], "Gardening", 10).Bytes.ToArray(),
        ];
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void TryParse_MutatedBytes_RefusesWithReasonOrAcceptsButNeverThrows(int seed)
    {
        var random = new Random(seed);
        var stopwatch = Stopwatch.StartNew();
        var refused = new Dictionary<RejectReason, int>();
        for (var iteration = 0; iteration < 20_000; iteration++)
        {
            var input = new List<byte>(_seeds[random.Next(_seeds.Count)]);
            var mutations = 1 + random.Next(4);
            for (var i = 0; i < mutations; i++)
            {
                Mutate(random, input);
            }

            var reason = Check([.. input], _options, $"seed {seed}, iteration {iteration}");
            if (reason is { } r)
            {
                refused[r] = refused.GetValueOrDefault(r) + 1;
            }
        }

        // The mutations reach past the bencode layer, not only into it.
        Assert.True(refused.Count >= 4, string.Join(", ", refused));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4)]
    public void TryParse_MutatedFieldsResigned_RefusesWithReasonOrAcceptsButNeverThrows(int seed)
    {
        // Fields changed, dropped or added, then signed again: the checks behind the signature get the mutants.
        var random = new Random(seed);
        var options = Options(_clock, work: 0);
        var stopwatch = Stopwatch.StartNew();
        var accepted = 0;
        var refused = new HashSet<RejectReason>();
        for (var iteration = 0; iteration < 6000; iteration++)
        {
            var dict = Copy(_seeds[random.Next(_seeds.Count)]);
            var mutations = 1 + random.Next(2);
            for (var i = 0; i < mutations; i++)
            {
                dict = MutateField(random, dict);
            }

            var input = Resign(dict);
            if (Check(input, options, $"seed {seed}, iteration {iteration}") is { } reason)
            {
                refused.Add(reason);
            }
            else
            {
                accepted++;
            }
        }

        Assert.True(accepted > 0, "no mutant was accepted: the mutations never leave a valid record");
        Assert.True(refused.Count >= 5, string.Join(", ", refused));
    }

    /// <summary>The oracle for one input. Returns the refusal's reason, or null when the input was accepted.</summary>
    private static RejectReason? Check(byte[] input, RecordValidationOptions options, string where)
    {
        bool ok;
        SignedRecord? record;
        RecordRejection? rejection;
        try
        {
            ok = RecordCodec.TryParse(input, options, out record, out rejection);
        }
        catch (Exception ex)
        {
            Assert.Fail($"TryParse threw at {where}: {ex}\nInput (hex): {Convert.ToHexString(input)}");
            throw;
        }

        if (!ok)
        {
            Assert.True(record is null, $"refused but returned a record at {where}");
            Assert.True(rejection is not null && !string.IsNullOrWhiteSpace(rejection.Message), $"refused without a reason at {where}: {Convert.ToHexString(input)}");
            return rejection.Reason;
        }

        Assert.True(rejection is null, where);
        Assert.Equal(input, record!.Bytes.ToArray());
        Assert.Equal(input, BencodeDecoder.Decode(input).Encode());
        Assert.Equal(SingleFileTorrent.ComputeInfoHash(record.FileName, input), record.Id);
        Assert.True(record.FileName.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.'), record.FileName);
        Assert.True(record.Created <= options.Clock.GetUtcNow().ToUnixTimeSeconds() + (long)options.MaxFutureSkew.TotalSeconds);
        return null;
    }

    private static byte[] Resign(BDictionary dict)
    {
        var unsigned = new BDictionary();
        foreach (var (key, value) in dict.Entries.Where(e => !e.Key.AsSpan().SequenceEqual("sig"u8)))
        {
            unsigned.Set(key, value);
        }

        return Seal(unsigned, Alice);
    }

    private static readonly string[] s_fields =
    [
        "v", "kind", "author", "created", "pow", "community", "title", "body", "parent", "root", "target", "value",
        "replacement", "label", "subject", "reason", "rules", "moderators", "difficulty", "name", "bio", "zzz",
    ];

    /// <summary>Sets, replaces or drops one field; returns the (possibly new) dictionary.</summary>
    private static BDictionary MutateField(Random random, BDictionary dict)
    {
        var field = s_fields[random.Next(s_fields.Length)];
        if (random.Next(8) == 0 && field != "author")
        {
            // BDictionary has no removal: copy the other entries. The author stays, so the re-signed record verifies.
            var kept = new BDictionary();
            foreach (var (key, entry) in dict.Entries.Where(e => Encoding.ASCII.GetString(e.Key) != field))
            {
                kept.Set(key, entry);
            }

            return kept;
        }

        if (field == "author")
        {
            return dict;
        }

        BValue value = random.Next(10) switch
        {
            0 => new BInteger(random.Next(-3, 4)),
            1 => new BInteger(random.NextInt64()),
            2 => new BString(RandomText(random, random.Next(0, 400))),
            3 => new BString(RandomBytes(random, 20)),
            4 => new BString(RandomBytes(random, 32)),
            5 => new BString(RandomBytes(random, random.Next(0, 8))),
            6 => new BList(new BString(RandomBytes(random, 32))),
            7 => new BString(s_kinds[random.Next(s_kinds.Length)]),
            8 => new BInteger(FixedClock.Start.ToUnixTimeSeconds() + random.Next(-3600, 3600)),
            _ => new BString("gardening"),
        };
        return dict.Set(field, value);
    }

    private static readonly string[] s_kinds = ["post", "vote", "label", "identity", "charter", "retract"];

    private static string RandomText(Random random, int length)
    {
        var builder = new StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append(random.Next(12) switch
            {
                0 => (char)random.Next(0, 0x20),
                1 => (char)random.Next(0x7F, 0xA0),
                2 => (char)random.Next(0x2000, 0x2070),
                3 => (char)random.Next(0xA0, 0xD7FF),
                _ => (char)random.Next('a', 'z' + 1),
            });
        }

        return builder.ToString();
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static void Mutate(Random random, List<byte> input)
    {
        if (input.Count == 0)
        {
            input.Add(s_interesting[random.Next(s_interesting.Length)]);
            return;
        }

        var at = random.Next(input.Count);
        switch (random.Next(7))
        {
            case 0: // flip a bit
                input[at] ^= (byte)(1 << random.Next(8));
                break;
            case 1: // overwrite with a bencode-significant byte
                input[at] = s_interesting[random.Next(s_interesting.Length)];
                break;
            case 2: // insert
                input.Insert(at, random.Next(2) == 0 ? s_interesting[random.Next(s_interesting.Length)] : (byte)random.Next(256));
                break;
            case 3: // delete a run
                input.RemoveRange(at, Math.Min(input.Count - at, 1 + random.Next(4)));
                break;
            case 4: // truncate
                input.RemoveRange(at, input.Count - at);
                break;
            case 5: // duplicate a run
                var length = Math.Min(input.Count - at, 1 + random.Next(16));
                input.InsertRange(random.Next(input.Count), input.GetRange(at, length));
                break;
            default: // random byte
                input[at] = (byte)random.Next(256);
                break;
        }
    }
}
