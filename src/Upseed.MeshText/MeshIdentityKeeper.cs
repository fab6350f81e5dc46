using System.Text;
using Upseed.Crypto;
using Upseed.Meshtastic;
using Upseed.Records;
using Upseed.Store;

namespace Upseed.MeshText;

/// <summary>
/// The identities the box keeps for radio users: one Ed25519 key per Meshtastic node number, its secret key in
/// <c>DATA/mesh-keys/</c> (a <see cref="KeyDirectory"/>), the node-to-key map in the store's settings
/// (<c>meshtext.identity.!a1b2c3d4</c>), and an identity record whose name and bio say it is bridged from the mesh
/// (the box signs for the person; anyone reading the record can see that).
/// </summary>
public sealed class MeshIdentityKeeper
{
    public const string SettingPrefix = "meshtext.identity.";
    private const int MaxNameBytes = 40;

    private readonly RecordStore _store;
    private readonly KeyDirectory _keys;

    public MeshIdentityKeeper(RecordStore store, string keyFolderName = "mesh-keys")
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _keys = new KeyDirectory(Path.Combine(store.DataFolder, keyFolderName));
    }

    /// <summary>The key already kept for <paramref name="nodeNumber"/>, if any.</summary>
    /// <exception cref="InvalidDataException">The key file is damaged.</exception>
    public bool TryGet(uint nodeNumber, out Ed25519KeyPair? key)
    {
        key = null;
        var publicKey = _store.GetSetting(SettingPrefix + MeshtasticNodeNumber.ToNodeId(nodeNumber));
        return publicKey is not null && _keys.TryLoad(publicKey, out key);
    }

    /// <summary>
    /// The key for <paramref name="nodeNumber"/>, making it (and signing and storing its identity record, with the
    /// proof of work the store requires) on first use.
    /// </summary>
    /// <param name="nodeNumber">The radio's node number.</param>
    /// <param name="displayName">The radio's long name from its node info, if known.</param>
    /// <param name="cancellationToken">Stops the proof-of-work search.</param>
    /// <exception cref="RecordRejectedException">The identity record was refused.</exception>
    public Ed25519KeyPair GetOrCreate(uint nodeNumber, string? displayName, CancellationToken cancellationToken = default)
    {
        if (TryGet(nodeNumber, out var existing))
        {
            return existing!;
        }

        var nodeId = MeshtasticNodeNumber.ToNodeId(nodeNumber);
        var key = Ed25519.Generate();
        var factory = new RecordFactory(key, _store.ValidationOptions);
        var identity = factory.Identity(
            NameFor(nodeId, displayName),
            BioFor(nodeId),
            cancellationToken: cancellationToken);
        var result = _store.Ingest(identity.Bytes);
        if (result.Outcome == IngestOutcome.Rejected)
        {
            throw new RecordRejectedException(result.Rejection!);
        }

        _keys.Save(key);
        _store.SetSetting(SettingPrefix + nodeId, key.PublicKeyHex);
        return key;
    }

    /// <summary>The identity's bio: says the person did not sign, the box did, for a radio.</summary>
    internal static string BioFor(string nodeId) =>
        $"Bridged from Meshtastic node {nodeId} by an Upseed box over LoRa: the box holds this key and posts what that radio sends it.";

    /// <summary>"Ana's radio (mesh)" from the radio's name, or "mesh !1a2b3c4d"; always one clean line.</summary>
    internal static string NameFor(string nodeId, string? displayName)
    {
        var clean = new StringBuilder();
        foreach (var rune in (displayName ?? string.Empty).EnumerateRunes())
        {
            if (!Rune.IsControl(rune) && rune.Value is not (>= 0x202A and <= 0x202E) and not (>= 0x2066 and <= 0x2069))
            {
                clean.Append(rune.ToString());
            }
        }

        var name = clean.ToString().Trim();
        return name.Length == 0 ? "mesh " + nodeId : ReplyFormatter.Truncate(name, MaxNameBytes - " (mesh)".Length) + " (mesh)";
    }
}
