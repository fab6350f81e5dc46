using System.Security.Cryptography;
using Upseed.Bencode;
using Upseed.Crypto;
using Upseed.Metainfo;
using Upseed.Records;

namespace Upseed.Store.Tests;

/// <summary>
/// One store in its own temporary data folder (deleted on dispose), on a clock the test moves, with proof of work
/// set to <see cref="Work"/> bits so records are cheap to make. Also makes records, by factory or by hand.
/// </summary>
internal sealed class TestStore : IDisposable
{
    /// <summary>Difficulty used in tests: 8 bits, about 256 hashes.</summary>
    public const int Work = 8;

    /// <summary>
    /// SQL that takes a version 3 database back to the version 2 shape (without changing user_version), so tests can
    /// open what an older release left behind.
    /// </summary>
    public const string UndoVersion3 = """
        DROP TABLE follows; DROP TABLE moderators; DROP TABLE blocks; DROP TABLE hidden; DROP TABLE dropped_records; DROP TABLE seeders;
        DROP INDEX records_author; DROP INDEX records_community; DROP INDEX votes_voter; DROP INDEX votes_record; DROP INDEX labels_subject; DROP INDEX labels_moderator;
        ALTER TABLE authors DROP COLUMN first_seen; ALTER TABLE authors DROP COLUMN work_bits; ALTER TABLE posts DROP COLUMN raw_score;
        DELETE FROM settings WHERE key IN ('policy.version', 'policy.rebuild');

        """;

    public static readonly Ed25519KeyPair Alice = Key(1);
    public static readonly Ed25519KeyPair Bob = Key(2);

    private readonly List<RecordStore> _opened = [];

    public TestStore()
    {
        Folder = Path.Combine(Path.GetTempPath(), "upseed-store-tests", Guid.NewGuid().ToString("N"));
        Store = Open();
        Store.SetSetting("pow.post", Work.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Store.SetSetting("pow.identity", Work.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public string Folder { get; }

    public FixedClock Clock { get; } = new();

    public RecordStore Store { get; }

    public long Now => Clock.UnixNow;

    public RecordValidationOptions Options => new() { Clock = Clock, RequiredWork = (_, _) => Work };

    /// <summary>Another store on the same folder, as the CLI and a running node each open one. Disposed with this.</summary>
    public RecordStore Open()
    {
        var store = RecordStore.Open(Folder, new StoreOptions { Clock = Clock });
        _opened.Add(store);
        return store;
    }

    public RecordFactory Factory(Ed25519KeyPair key) => new(key, Options);

    /// <summary>Makes a key a member of the box: its key file goes into the data folder, as <c>upseed id new</c> does.</summary>
    public Ed25519KeyPair Member(Ed25519KeyPair key)
    {
        new KeyDirectory(Path.Combine(Folder, "keys")).Save(key);
        return key;
    }

    public static Ed25519KeyPair Key(int n)
    {
        var seed = new byte[Ed25519.SeedSize];
        BitConverter.TryWriteBytes(seed, n);
        seed[31] = 0x5E;
        return Ed25519.FromSeed(seed);
    }

    public static InfoHash FakeId(string text) => new(SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    /// <summary>Ingests a record that must be accepted.</summary>
    public T Add<T>(T record)
        where T : SignedRecord
    {
        var result = Store.Ingest(record.Bytes);
        Assert.True(result.Outcome == IngestOutcome.Accepted, $"{result.Outcome}: {result.Rejection}");
        return record;
    }

    /// <summary>A hand-made record's common fields: v, kind, author, created.</summary>
    public static BDictionary Draft(string kind, Ed25519KeyPair author, long created) => new BDictionary()
        .Set("v", 1)
        .Set("kind", kind)
        .Set("author", author.PublicKey)
        .Set("created", created);

    /// <summary>Gives the dictionary a proof of work when asked, then signs it as RecordFactory does.</summary>
    public static byte[] Seal(BDictionary dict, Ed25519KeyPair author, bool withWork = false, int work = Work)
    {
        if (withWork)
        {
            dict.Set("pow", (long)ProofOfWork.Solve(SHA256.HashData(dict.Encode()), work));
        }

        dict.Set("sig", author.Sign([.. RecordCodec.SignatureDomain, .. dict.Encode()]));
        return dict.Encode();
    }

    public void Dispose()
    {
        foreach (var store in _opened)
        {
            store.Dispose();
        }

        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder must not fail the test that made it.
        }
    }
}
