using System.Buffers;
using System.Security.Cryptography;
using Upseed.Bencode;
using Upseed.Crypto;
using Upseed.Metainfo;

namespace Upseed.Records.Tests;

/// <summary>
/// Keys, cheap validation options, and hand-made records: a <see cref="BDictionary"/> filled by the test, then given a
/// proof of work and signed exactly as <see cref="RecordFactory"/> seals (domain prefix + canonical bytes without
/// <c>sig</c>), so that only the property under test is wrong.
/// </summary>
internal static class RecordKit
{
    /// <summary>Difficulty used in tests: 8 bits, about 256 hashes.</summary>
    public const int Work = 8;

    public static readonly Ed25519KeyPair Alice = Ed25519.FromSeed(Seed(1));
    public static readonly Ed25519KeyPair Bob = Ed25519.FromSeed(Seed(2));

    public static readonly InfoHash SomeId = new(SHA1.HashData("some record"u8));
    public static readonly InfoHash OtherId = new(SHA1.HashData("another record"u8));

    public static RecordValidationOptions Options(TimeProvider clock, int work = Work) =>
        new() { Clock = clock, RequiredWork = (_, _) => work };

    public static RecordFactory Factory(Ed25519KeyPair key, TimeProvider clock, int work = Work) => new(key, Options(clock, work));

    /// <summary>The fields every kind carries: v, kind, author, created.</summary>
    public static BDictionary Draft(string kind, Ed25519KeyPair author, long created) => new BDictionary()
        .Set("v", 1)
        .Set("kind", kind)
        .Set("author", author.PublicKey)
        .Set("created", created);

    public static BDictionary PostDraft(Ed25519KeyPair author, long created, string title = "First tomatoes", string body = "They are red.") =>
        Draft("post", author, created).Set("community", "gardening").Set("title", title).Set("body", body);

    public static BDictionary VoteDraft(Ed25519KeyPair author, long created, long value = 1) =>
        Draft("vote", author, created).Set("community", "gardening").Set("target", SomeId.ToArray()).Set("value", value);

    /// <summary>
    /// Adds a proof of work of <paramref name="work"/> bits when <paramref name="withWork"/> (identities and posts need
    /// one), then the signature; returns the canonical bytes.
    /// </summary>
    public static byte[] Seal(BDictionary dict, Ed25519KeyPair author, bool withWork = false, int work = Work)
    {
        if (withWork)
        {
            var challenge = SHA256.HashData(dict.Encode());
            dict.Set("pow", (long)ProofOfWork.Solve(challenge, work));
        }

        var unsigned = dict.Encode();
        dict.Set("sig", author.Sign([.. RecordCodec.SignatureDomain, .. unsigned]));
        return dict.Encode();
    }

    /// <summary>A copy of a decoded dictionary that can be changed (decoded ones are read-only).</summary>
    public static BDictionary Copy(ReadOnlyMemory<byte> canonical)
    {
        var decoded = (BDictionary)BencodeDecoder.Decode(canonical);
        var copy = new BDictionary();
        foreach (var (key, value) in decoded.Entries)
        {
            copy.Set(key, value);
        }

        return copy;
    }

    /// <summary>Writes entries in the order given, not the canonical one.</summary>
    public static byte[] EncodeInOrder(IEnumerable<KeyValuePair<byte[], BValue>> entries)
    {
        var writer = new ArrayBufferWriter<byte>();
        BencodeWriter.WriteByte(writer, (byte)'d');
        foreach (var (key, value) in entries)
        {
            BencodeWriter.WriteString(writer, key);
            value.WriteTo(writer);
        }

        BencodeWriter.WriteByte(writer, (byte)'e');
        return writer.WrittenSpan.ToArray();
    }

    private static byte[] Seed(byte fill)
    {
        var seed = new byte[Ed25519.SeedSize];
        seed.AsSpan().Fill(fill);
        return seed;
    }
}
