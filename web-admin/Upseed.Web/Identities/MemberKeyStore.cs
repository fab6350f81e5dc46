using System.Text;
using Upseed.Crypto;
using Upseed.Store;

namespace Upseed.Web;

/// <summary>
/// Members' sealed keys on the box: one <see cref="SealedKeyFile"/> per identity under <c>DATA/web/keys/</c>
/// (folder 0700, files 0600), named by public key. The box never holds a member's key unsealed on disk.
/// </summary>
internal sealed class MemberKeyStore
{
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private readonly Lock _gate = new();

    public MemberKeyStore(RecordStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        Folder = Path.Combine(store.DataFolder, "web", "keys");
    }

    public string Folder { get; }

    public IReadOnlyList<SealedKeyFile> List()
    {
        if (!Directory.Exists(Folder))
        {
            return [];
        }

        return Directory.EnumerateFiles(Folder, "*.json")
            .Select(f => TryLoad(Path.GetFileNameWithoutExtension(f)))
            .OfType<SealedKeyFile>()
            .OrderBy(f => f.Name ?? f.PublicKey, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    public SealedKeyFile? TryLoad(string publicKeyHex)
    {
        if (!IsKeyHex(publicKeyHex))
        {
            return null;
        }

        var file = Path.Combine(Folder, publicKeyHex + ".json");
        if (!File.Exists(file) || new FileInfo(file).Length > SealedKeyFile.MaxFileBytes)
        {
            return null;
        }

        var sealedKey = SealedKeyFile.TryRead(File.ReadAllBytes(file));
        return sealedKey?.PublicKey == publicKeyHex ? sealedKey : null;
    }

    /// <summary>Saves (or replaces, after an import with a new passphrase) a sealed key.</summary>
    public void Save(SealedKeyFile sealedKey)
    {
        lock (_gate)
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(Folder);
            }
            else
            {
                Directory.CreateDirectory(Folder, OwnerOnlyDirectory);
            }

            var target = Path.Combine(Folder, sealedKey.PublicKey + ".json");
            var temp = target + ".tmp";
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Options = FileOptions.WriteThrough };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerOnlyFile;
            }

            using (var stream = new FileStream(temp, options))
            {
                stream.Write(sealedKey.ToBytes());
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, target, overwrite: true);
        }
    }

    public bool Delete(string publicKeyHex)
    {
        if (!IsKeyHex(publicKeyHex))
        {
            return false;
        }

        var file = Path.Combine(Folder, publicKeyHex + ".json");
        if (!File.Exists(file))
        {
            return false;
        }

        File.Delete(file);
        return true;
    }

    /// <summary>
    /// Reads a key file a member uploads: a sealed key file (opened with its passphrase) or the CLI's plain seed file
    /// (<c>upseed-ed25519-seed-v1</c>, from <c>DATA/keys/</c>). Null when neither, or the passphrase does not open it.
    /// </summary>
    public static Ed25519KeyPair? TryOpenUpload(ReadOnlySpan<byte> bytes, string passphrase, out string? name)
    {
        name = null;
        if (bytes.Length > SealedKeyFile.MaxFileBytes)
        {
            return null;
        }

        if (SealedKeyFile.TryRead(bytes) is { } sealedKey)
        {
            name = sealedKey.Name;
            return sealedKey.TryOpen(passphrase);
        }

        var lines = Encoding.ASCII.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 2 && lines[0] == "upseed-ed25519-seed-v1" && lines[1].Length == 64 && lines[1].All(char.IsAsciiHexDigit))
        {
            return Ed25519.FromSeed(Convert.FromHexString(lines[1]));
        }

        return null;
    }

    private static bool IsKeyHex(string text) => text.Length == 64 && text.All(char.IsAsciiHexDigitLower);
}
