using FsCheck;
using FsCheck.Fluent;

namespace Upseed.Bencode.Tests;

/// <summary>A generated value tree; prints in <see cref="BencodeNotation"/> so counterexamples can be read.</summary>
public sealed record BValueSample(BValue Value)
{
    public override string ToString() => BencodeNotation.Format(Value);
}

/// <summary>FsCheck generators for value trees of bounded depth, built through the public constructors.</summary>
internal static class BValueGen
{
    /// <summary>Deepest tree generated: deeper than any Upseed message, well under the default MaxDepth.</summary>
    public const int MaxDepth = 5;

    /// <summary>Fixed FsCheck seed (SplitMix seed and odd gamma), so every run checks the same cases.</summary>
    public const ulong Seed = 0x5EED_0000_0000_0003;
    public const ulong Gamma = 0x9E37_79B9_7F4A_7C15;

    private static readonly Gen<byte> AnyByte = Gen.Choose(0, 255).Select(b => (byte)b);

    // Few distinct key bytes, so keys often share prefixes, collide (Set replaces) and straddle 0x80.
    private static readonly Gen<byte[]> Key =
        Gen.Choose(0, 3).SelectMany(n => Gen.ArrayOf(Gen.Elements<byte>((byte)'a', (byte)'b', (byte)'Z', 0x00, 0x7F, 0x80, 0xFF), n));

    private static readonly Gen<BValue> String =
        Gen.Frequency(
            (4, Gen.Choose(0, 12)),
            (1, Gen.Choose(13, 300)))
        .SelectMany(n => Gen.ArrayOf(AnyByte, n))
        .Select(bytes => (BValue)new BString(bytes));

    private static readonly Gen<long> Integer =
        Gen.Frequency(
            (2, Gen.Elements(0L, 1L, -1L, 9L, 10L, -10L, long.MaxValue, long.MinValue, long.MaxValue - 1, long.MinValue + 1)),
            (3, Gen.Choose(-1000, 1000).Select(i => (long)i)),
            (3, Gen.Zip(Gen.Choose(int.MinValue, int.MaxValue), Gen.Choose(int.MinValue, int.MaxValue), (hi, lo) => ((long)hi << 32) | (uint)lo)));

    private static readonly Gen<BValue> Leaf = Gen.OneOf(String, Integer.Select(i => (BValue)new BInteger(i)));

    public static Arbitrary<BValueSample> Samples { get; } = Arb.From(Value(MaxDepth).Select(v => new BValueSample(v)));

    /// <summary>Samples whose top level is a dictionary, as records and KRPC messages are.</summary>
    public static Arbitrary<BValueSample> DictionarySamples { get; } =
        Arb.From(Dictionary(MaxDepth).Select(v => new BValueSample(v)));

    public static Config Config(int maxTest) =>
        FsCheck.Config.QuickThrowOnFailure.WithMaxTest(maxTest).WithReplay(Seed, Gamma);

    private static Gen<BValue> Value(int depth) =>
        depth == 0 ? Leaf : Gen.Frequency((3, Leaf), (1, List(depth)), (1, Dictionary(depth)));

    private static Gen<BValue> List(int depth) =>
        Gen.Choose(0, 4)
            .SelectMany(n => Gen.ArrayOf(Value(depth - 1), n))
            .Select(items => (BValue)new BList(items));

    private static Gen<BValue> Dictionary(int depth) =>
        Gen.Choose(0, 5)
            .SelectMany(n => Gen.ArrayOf(Gen.Zip(Key, Value(depth - 1), KeyValuePair.Create), n))
            .Select(entries =>
            {
                var dictionary = new BDictionary();
                foreach (var (key, value) in entries)
                {
                    dictionary.Set(key, value);
                }

                return (BValue)dictionary;
            });
}
