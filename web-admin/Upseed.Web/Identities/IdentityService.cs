using Upseed.Crypto;
using Upseed.Records;
using Upseed.Store;

namespace Upseed.Web;

/// <summary>
/// Household members' identities on the box: create (a key pair, a signed identity record with proof of work, the
/// key sealed with the member's passphrase), unlock into a member session, export the sealed file, import a sealed
/// file or the CLI's key file.
/// </summary>
internal sealed class IdentityService
{
    /// <summary>Shortest passphrase accepted: the sealed file may leave the box (export), so it must resist guessing.</summary>
    public const int MinimumPassphraseLength = 8;

    private readonly RecordStore _store;
    private readonly MemberKeyStore _keys;
    private readonly WebOptions _options;

    public IdentityService(RecordStore store, MemberKeyStore keys, WebOptions options)
    {
        _store = store;
        _keys = keys;
        _options = options;
    }

    public IReadOnlyList<SealedKeyFile> List() => _keys.List();

    public bool TryCreate(CreateIdentityRequest request, CancellationToken cancellationToken, out Ed25519KeyPair? key, out string? error)
    {
        key = null;
        var name = request.Name?.Trim() ?? "";
        var bio = request.Bio?.Trim();
        error = TextRules.Check(name, "name", RecordLimits.MaxNameBytes, multiline: false, allowEmpty: false)?.Message
            ?? (string.IsNullOrEmpty(bio) ? null : TextRules.Check(bio, "bio", RecordLimits.MaxBioBytes, multiline: true, allowEmpty: true)?.Message)
            ?? PassphraseError(request.Passphrase);
        if (error is not null)
        {
            return false;
        }

        var made = Ed25519.Generate();
        var identity = new RecordFactory(made, _store.ValidationOptions).Identity(name, string.IsNullOrEmpty(bio) ? null : bio, cancellationToken: cancellationToken);
        var result = _store.Ingest(identity.Bytes);
        if (result.Outcome == IngestOutcome.Rejected)
        {
            error = result.Rejection?.Message ?? "The identity record was refused.";
            return false;
        }

        _store.Pin(identity.Id, PinReason.Own);
        _keys.Save(SealedKeyFile.Seal(made, name, request.Passphrase!, _options.KeyFileIterations));
        key = made;
        return true;
    }

    /// <summary>Opens a member's key with their passphrase; null when there is no such key or the passphrase is wrong.</summary>
    public Ed25519KeyPair? TryUnlock(string? publicKey, string? passphrase, out string? name)
    {
        name = null;
        if (publicKey is null || passphrase is null || _keys.TryLoad(publicKey.ToLowerInvariant()) is not { } sealedKey)
        {
            return null;
        }

        name = _store.DisplayName(Convert.FromHexString(sealedKey.PublicKey)) ?? sealedKey.Name;
        return sealedKey.TryOpen(passphrase);
    }

    public byte[]? Export(string publicKeyHex) => _keys.TryLoad(publicKeyHex)?.ToBytes();

    /// <summary>
    /// Imports an uploaded key file, sealed on this box with <paramref name="passphrase"/> (a sealed file must open with
    /// it; a CLI key file gets it as its new passphrase).
    /// </summary>
    public Ed25519KeyPair? TryImport(ReadOnlySpan<byte> file, string? passphrase, out string? error)
    {
        error = PassphraseError(passphrase);
        if (error is not null)
        {
            return null;
        }

        var key = MemberKeyStore.TryOpenUpload(file, passphrase!, out var name);
        if (key is null)
        {
            error = "That is not an Upseed key file, or the passphrase does not open it.";
            return null;
        }

        name = _store.DisplayName(key.PublicKey.Span) ?? name;
        _keys.Save(SealedKeyFile.Seal(key, name, passphrase!, _options.KeyFileIterations));
        return key;
    }

    public bool Remove(string publicKeyHex) => _keys.Delete(publicKeyHex);

    private static string? PassphraseError(string? passphrase) =>
        passphrase is null || passphrase.Length < MinimumPassphraseLength
            ? $"A passphrase is at least {MinimumPassphraseLength} characters."
            : null;
}
