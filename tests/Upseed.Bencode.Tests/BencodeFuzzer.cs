using System.Buffers;
using System.Globalization;
using System.Text;

namespace Upseed.Bencode.Tests;

/// <summary>
/// Mutation fuzzer for <see cref="BencodeDecoder"/>. Each input is a random byte string or a valid encoding with a few
/// mutations (bit flips, byte inserts and deletes, truncation, splices of two encodings). The oracle: the decoder either
/// accepts, and then re-encoding gives the input back exactly and every limit holds, or throws
/// <see cref="BencodeException"/>. Any other exception fails with the input in hex, ready to become a regression test.
/// </summary>
internal sealed class BencodeFuzzer
{
    // Tight limits for a quarter of the inputs, so the limit checks meet the same mutations as the parsing rules.
    private static readonly BencodeOptions s_tight = new() { MaxDepth = 4, MaxStringLength = 16, MaxMessageSize = 48, MaxValues = 12 };

    private static readonly byte[] s_interesting = "ilde:-0123456789"u8.ToArray();

    private static readonly string[] s_seeds =
    [
        "4:spam", "0:", "i3e", "i-3e", "i0e", "l4:spam4:eggse", "d3:cow3:moo4:spam4:eggse", "d4:spaml1:a1:bee", // BEP 3
        "i9223372036854775807e", "i-9223372036854775808e", "i-10e", "i10e", "le", "de", "lllleeee",
        "d1:ad1:bd1:cd1:dleeeee", "d2:aai1e2:abi2e1:bi3ee", "d1:ai1e2:aai2e",
        "d4:bodyl3:onei2ee3:sig4:SSSS4:time3:nowe",
        "d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe", // a KRPC ping (BEP 5)
    ];

    private readonly Random _random;
    private readonly List<byte[]> _corpus;
    private readonly int _seed;

    public BencodeFuzzer(int seed)
    {
        _seed = seed;
        _random = new Random(seed);
        _corpus = [.. s_seeds.Select(Encoding.ASCII.GetBytes)];
        for (var i = 0; i < 64; i++)
        {
            _corpus.Add(RandomValue(depth: 5).Encode());
        }
    }

    public FuzzStats Stats { get; } = new();

    public void Run(int iterations)
    {
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            var input = NextInput();
            var options = _random.Next(4) == 0 ? s_tight : BencodeOptions.Default;
            Check(input, options, iteration);
        }
    }

    /// <summary>The oracle for one input; public so a found crash can be replayed as a named regression test.</summary>
    public static bool Check(byte[] input, BencodeOptions options, FuzzStats? stats = null, string where = "")
    {
        BValue? value = null;
        try
        {
            value = BencodeDecoder.Decode(input, options);
        }
        catch (BencodeException ex)
        {
            stats?.Rejected(ex.Error);
        }
        catch (Exception ex)
        {
            Fail($"Decode threw {ex.GetType().Name}", input, options, where, ex);
        }

        OperationStatus status = default;
        BValue? prefixValue = null;
        int consumed = 0;
        BencodeException? error = null;
        try
        {
            status = BencodeDecoder.TryDecodePrefix(input, out prefixValue, out consumed, out error, options);
        }
        catch (Exception ex)
        {
            Fail($"TryDecodePrefix threw {ex.GetType().Name}", input, options, where, ex);
        }

        if (status == OperationStatus.Done)
        {
            if (consumed <= 0 || consumed > input.Length || !prefixValue!.Encode().AsSpan().SequenceEqual(input.AsSpan(0, consumed)))
            {
                Fail("TryDecodePrefix returned Done for a prefix that does not re-encode to itself", input, options, where);
            }
        }
        else if (status == OperationStatus.InvalidData && error is null)
        {
            Fail("TryDecodePrefix returned InvalidData without an error", input, options, where);
        }

        if (value is null)
        {
            return false;
        }

        stats?.Accepted();
        if (!value.Encode().AsSpan().SequenceEqual(input))
        {
            Fail("accepted input does not re-encode to itself", input, options, where);
        }

        if (status != OperationStatus.Done || consumed != input.Length)
        {
            Fail($"Decode accepted but TryDecodePrefix gave {status} after {consumed} bytes", input, options, where);
        }

        if (input.Length > options.MaxMessageSize)
        {
            Fail("accepted input longer than MaxMessageSize", input, options, where);
        }

        var values = 0;
        CheckLimits(value, options, depth: 0, ref values, input, where);
        return true;
    }

    private static void CheckLimits(BValue value, BencodeOptions options, int depth, ref int values, byte[] input, string where)
    {
        values++;
        switch (value)
        {
            case BString s when s.Value.Length > options.MaxStringLength:
                Fail("accepted a string longer than MaxStringLength", input, options, where);
                break;
            case BList list:
                depth++;
                foreach (var item in list.Items)
                {
                    CheckLimits(item, options, depth, ref values, input, where);
                }

                break;
            case BDictionary dictionary:
                depth++;
                foreach (var (key, entry) in dictionary.Entries)
                {
                    values++;
                    if (key.Length > options.MaxStringLength)
                    {
                        Fail("accepted a key longer than MaxStringLength", input, options, where);
                    }

                    CheckLimits(entry, options, depth, ref values, input, where);
                }

                break;
        }

        if (depth > options.MaxDepth || values > options.MaxValues)
        {
            Fail($"accepted depth {depth} or {values} values over the limits", input, options, where);
        }
    }

    private static void Fail(string what, byte[] input, BencodeOptions options, string where, Exception? ex = null) =>
        Assert.Fail(
            $"Fuzz failure {where}: {what}.\nOptions: {options}\nInput ({input.Length} bytes, hex): {Convert.ToHexString(input)}\n"
            + "Add it as a named regression test with the bytes inline.\n" + ex);

    private void Check(byte[] input, BencodeOptions options, int iteration)
    {
        if (Check(input, options, Stats, string.Create(CultureInfo.InvariantCulture, $"at seed {_seed}, iteration {iteration}")))
        {
            // Mutants that survive are valid too; mutating them reaches further than the seeds alone.
            if (_corpus.Count < 4096 && input.Length > 0)
            {
                _corpus.Add(input);
            }
        }
    }

    private byte[] NextInput()
    {
        switch (_random.Next(16))
        {
            case 0:
                return RandomBytes(_random.Next(33), alphabetOnly: true);
            case 1:
                return RandomBytes(_random.Next(33), alphabetOnly: false);
            default:
                var input = new List<byte>(Pick());
                var mutations = 1 + _random.Next(4);
                for (var i = 0; i < mutations; i++)
                {
                    Mutate(input);
                }

                Stats.Mutated();
                return [.. input];
        }
    }

    private void Mutate(List<byte> input)
    {
        var at = _random.Next(input.Count + 1);
        switch (_random.Next(8))
        {
            case 0 when input.Count > 0: // bit flip
                at = _random.Next(input.Count);
                input[at] ^= (byte)(1 << _random.Next(8));
                break;
            case 1 when input.Count > 0: // overwrite with a byte the grammar cares about
                input[_random.Next(input.Count)] = InterestingByte();
                break;
            case 2: // insert
                input.Insert(at, _random.Next(2) == 0 ? InterestingByte() : (byte)_random.Next(256));
                break;
            case 3 when input.Count > 0: // delete a short run
                at = _random.Next(input.Count);
                input.RemoveRange(at, Math.Min(1 + _random.Next(4), input.Count - at));
                break;
            case 4: // truncate
                input.RemoveRange(at, input.Count - at);
                break;
            case 5: // splice: this input up to a point, then another encoding from a point
                var other = Pick();
                var from = _random.Next(other.Length + 1);
                input.RemoveRange(at, input.Count - at);
                input.AddRange(other.AsSpan(from).ToArray());
                break;
            case 6 when input.Count > 0: // duplicate a run somewhere else
                var start = _random.Next(input.Count);
                var run = input.GetRange(start, Math.Min(1 + _random.Next(8), input.Count - start));
                input.InsertRange(_random.Next(input.Count + 1), run);
                break;
            default: // insert a whole other encoding, e.g. a value into a list
                input.InsertRange(at, Pick());
                break;
        }
    }

    private byte[] Pick() => _corpus[_random.Next(_corpus.Count)];

    private byte InterestingByte() =>
        _random.Next(8) == 0 ? (byte)(_random.Next(2) == 0 ? 0x00 : 0xFF) : s_interesting[_random.Next(s_interesting.Length)];

    private byte[] RandomBytes(int length, bool alphabetOnly)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = alphabetOnly ? s_interesting[_random.Next(s_interesting.Length)] : (byte)_random.Next(256);
        }

        return bytes;
    }

    private BValue RandomValue(int depth)
    {
        var kind = depth == 0 ? _random.Next(2) : _random.Next(4);
        switch (kind)
        {
            case 0:
                return new BString(RandomBytes(_random.Next(_random.Next(4) == 0 ? 40 : 8), alphabetOnly: _random.Next(2) == 0));
            case 1:
                return new BInteger(_random.Next(3) == 0 ? _random.NextInt64(long.MinValue, long.MaxValue) : _random.Next(-200, 200));
            case 2:
                return new BList([.. Enumerable.Range(0, _random.Next(5)).Select(_ => RandomValue(depth - 1))]);
            default:
                var dictionary = new BDictionary();
                for (var i = _random.Next(5); i > 0; i--)
                {
                    dictionary.Set(RandomBytes(_random.Next(3), alphabetOnly: true), RandomValue(depth - 1));
                }

                return dictionary;
        }
    }
}

/// <summary>What a fuzz run covered: how many inputs were accepted, and rejected for which reasons.</summary>
internal sealed class FuzzStats
{
    private readonly Dictionary<BencodeError, long> _rejections = [];

    public long AcceptedCount { get; private set; }

    public long MutatedCount { get; private set; }

    public IReadOnlyDictionary<BencodeError, long> Rejections => _rejections;

    public void Accepted() => AcceptedCount++;

    public void Mutated() => MutatedCount++;

    public void Rejected(BencodeError error) => _rejections[error] = _rejections.GetValueOrDefault(error) + 1;

    public void Add(FuzzStats other)
    {
        AcceptedCount += other.AcceptedCount;
        MutatedCount += other.MutatedCount;
        foreach (var (error, count) in other._rejections)
        {
            _rejections[error] = _rejections.GetValueOrDefault(error) + count;
        }
    }

    public override string ToString() =>
        $"accepted {AcceptedCount}, mutated {MutatedCount}, rejected: "
        + string.Join(", ", _rejections.OrderBy(r => r.Key).Select(r => $"{r.Key} {r.Value}"));
}
