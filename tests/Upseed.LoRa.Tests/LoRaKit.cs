using System.Security.Cryptography;
using Upseed.Crypto;
using Upseed.Metainfo;
using Upseed.Records;

namespace Upseed.LoRa.Tests;

/// <summary>Keys, a clock, cheap proof of work (8 bits, as the records tests use), and the post corpus.</summary>
internal static class LoRaKit
{
    /// <summary>Difficulty used in tests: 8 bits, about 256 hashes.</summary>
    public const int Work = 8;

    public static readonly Ed25519KeyPair Alice = Key(1);
    public static readonly Ed25519KeyPair Bob = Key(2);

    public static readonly InfoHash SomeId = new(SHA1.HashData("some record"u8));

    public static RecordValidationOptions Options(TimeProvider clock) => new() { Clock = clock, RequiredWork = (_, _) => Work };

    public static RecordFactory Factory(Ed25519KeyPair key, TimeProvider clock) => new(key, Options(clock));

    public static Ed25519KeyPair Key(int n)
    {
        var seed = new byte[Ed25519.SeedSize];
        BitConverter.TryWriteBytes(seed, n);
        seed[31] = 0x4C;
        return Ed25519.FromSeed(seed);
    }

    /// <summary>The held-out forum posts (Corpus/posts.txt): title and body of each.</summary>
    public static IReadOnlyList<(string Title, string Body)> Corpus() => CorpusReader.Read(Path.Combine(AppContext.BaseDirectory, "Corpus", "posts.txt"));

    /// <summary>A 280-character body, the size the targets name.</summary>
    public static string Body280()
    {
        var body = Corpus()[0].Body;
        return body.Length >= 280 ? body[..280] : body.PadRight(280, '.');
    }
}
