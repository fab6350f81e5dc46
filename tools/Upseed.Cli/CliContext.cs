using System.Text.Encodings.Web;
using System.Text.Json;
using Upseed.Crypto;
using Upseed.Metainfo;
using Upseed.Records;
using Upseed.Store;

namespace Upseed.Cli;

/// <summary>One command's surroundings: the data folder, its store and keys, the output streams, JSON or text.</summary>
internal sealed class CliContext : IDisposable
{
    public const string DefaultIdentitySetting = "identity.default";

    private static readonly JsonSerializerOptions s_json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private RecordStore? _store;

    public CliContext(string dataFolder, bool json, TextWriter output, TextWriter error, CliEnvironment environment)
    {
        DataFolder = dataFolder;
        Json = json;
        Output = output;
        Error = error;
        Environment = environment;
        Keys = new KeyDirectory(Path.Combine(dataFolder, "keys"));
    }

    public string DataFolder { get; }

    public bool Json { get; }

    public TextWriter Output { get; }

    public TextWriter Error { get; }

    public CliEnvironment Environment { get; }

    public KeyDirectory Keys { get; }

    public RecordStore Store => _store ??= RecordStore.Open(DataFolder, new StoreOptions { Clock = Environment.Clock });

    public void Dispose() => _store?.Dispose();

    public void WriteJson<T>(T value) => Output.WriteLine(JsonSerializer.Serialize(value, s_json));

    /// <summary>The identity to act as: <c>--as</c>, else the data folder's default.</summary>
    /// <exception cref="CliException">No identity, or its key file is not here.</exception>
    public Ed25519KeyPair Identity(string? requested)
    {
        var key = requested ?? Store.GetSetting(DefaultIdentitySetting) ?? Keys.List().FirstOrDefault();
        if (key is null)
        {
            throw CliException.Usage("No identity in this data folder yet. Make one: upseed id new --name NAME");
        }

        var matches = Keys.List().Where(k => k.StartsWith(key, StringComparison.OrdinalIgnoreCase)).ToList();
        if (matches.Count != 1 || !Keys.TryLoad(matches[0], out var keyPair))
        {
            throw CliException.Usage($"No key file for identity {key} in {Keys.Path}.");
        }

        return keyPair!;
    }

    /// <summary>A factory that signs as the given identity with the proof of work this store requires.</summary>
    public RecordFactory Factory(Ed25519KeyPair identity) => new(identity, Store.ValidationOptions)
    {
        WorkStarting = bits => Error.WriteLine($"Computing proof of work ({bits} bits)..."),
    };

    /// <summary>Resolves a record id typed by a person: 40 hex, a unique hex prefix of 6+, or a magnet link.</summary>
    /// <exception cref="CliException">Not found, or ambiguous.</exception>
    public InfoHash ResolveId(string text)
    {
        if (text.StartsWith("magnet:", StringComparison.OrdinalIgnoreCase))
        {
            if (!MagnetLink.TryParse(text, out var magnet, out var error))
            {
                throw CliException.Usage($"Not a magnet link: {error}");
            }

            return magnet.InfoHash;
        }

        if (InfoHash.TryParse(text, out var exact))
        {
            return exact;
        }

        var found = Store.FindByPrefix(text);
        return found.Count switch
        {
            1 => found[0],
            0 => throw new CliException(ExitCodes.Failure, $"No record {text} in this data folder."),
            _ => throw CliException.Usage($"{text} matches several records; give more of the id."),
        };
    }

    /// <summary>Stores a record this CLI just made, pins it as our own, or fails with the store's reason.</summary>
    public void StoreOwn(SignedRecord record)
    {
        var result = Store.Ingest(record.Bytes);
        if (result.Outcome == IngestOutcome.Rejected)
        {
            throw new CliException(ExitCodes.Rejected, $"rejected: {result.Rejection}");
        }

        if (record.Kind is RecordKind.Post or RecordKind.Identity or RecordKind.Charter)
        {
            Store.Pin(record.Id, PinReason.Own);
        }
    }
}
