using System.Text;

namespace Upseed.Crypto;

/// <summary>
/// Secret keys on disk: one file per key under a folder only the owner can open (0700), each file 0600, holding the
/// 32-byte seed in hex after a format line. The public key names the file.
/// </summary>
public sealed class KeyDirectory
{
    private const string FormatLine = "upseed-ed25519-seed-v1";
    private const int MaxFileSize = 256;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public KeyDirectory(string path)
    {
        Path = path;
    }

    public string Path { get; }

    /// <summary>Writes the key pair's seed. Refuses to overwrite an existing key file.</summary>
    /// <exception cref="IOException">A key file for this public key already exists.</exception>
    public string Save(Ed25519KeyPair keyPair)
    {
        ArgumentNullException.ThrowIfNull(keyPair);
        EnsureDirectory();
        var file = FileFor(keyPair.PublicKeyHex);
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.None,
            Options = FileOptions.WriteThrough,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        using (var stream = new FileStream(file, options))
        {
            var text = $"{FormatLine}\n{Convert.ToHexStringLower(keyPair.Seed)}\n";
            stream.Write(Encoding.ASCII.GetBytes(text));
            stream.Flush(flushToDisk: true);
        }

        return file;
    }

    /// <summary>Loads the key pair for a public key, if its file is here.</summary>
    /// <exception cref="InvalidDataException">The file exists but is not a key file, or holds another key.</exception>
    public bool TryLoad(string publicKeyHex, out Ed25519KeyPair? keyPair)
    {
        ArgumentNullException.ThrowIfNull(publicKeyHex);
        var file = FileFor(publicKeyHex.ToLowerInvariant());
        if (!File.Exists(file))
        {
            keyPair = null;
            return false;
        }

        keyPair = Read(file);
        if (!string.Equals(keyPair.PublicKeyHex, publicKeyHex, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"Key file {file} holds a different key.");
        }

        return true;
    }

    /// <summary>Public keys (hex) of every key file here.</summary>
    public IEnumerable<string> List()
    {
        if (!Directory.Exists(Path))
        {
            return [];
        }

        return Directory.EnumerateFiles(Path, "*.key")
            .Select(f => System.IO.Path.GetFileNameWithoutExtension(f))
            .Where(name => name.Length == 64)
            .Order(StringComparer.Ordinal);
    }

    /// <summary>Reads a key file.</summary>
    /// <exception cref="InvalidDataException">The file is not a key file.</exception>
    public static Ed25519KeyPair Read(string file)
    {
        // Save writes exactly two lines (88 bytes); anything longer or with more lines was not written by us.
        if (new FileInfo(file).Length > MaxFileSize)
        {
            throw new InvalidDataException($"{file} is not an Upseed key file.");
        }

        var lines = File.ReadAllLines(file);
        if (lines.Length != 2 || lines[0] != FormatLine || lines[1].Length != 64)
        {
            throw new InvalidDataException($"{file} is not an Upseed key file.");
        }

        byte[] seed;
        try
        {
            seed = Convert.FromHexString(lines[1]);
        }
        catch (FormatException ex)
        {
            throw new InvalidDataException($"{file} is not an Upseed key file.", ex);
        }

        return Ed25519.FromSeed(seed);
    }

    private string FileFor(string publicKeyHex)
    {
        if (publicKeyHex.Length != 64 || !publicKeyHex.All(Uri.IsHexDigit))
        {
            throw new ArgumentException("A public key is 64 hex characters.", nameof(publicKeyHex));
        }

        return System.IO.Path.Combine(Path, publicKeyHex + ".key");
    }

    private void EnsureDirectory()
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(Path);
        }
        else
        {
            Directory.CreateDirectory(Path, OwnerOnlyDirectory);
            File.SetUnixFileMode(Path, OwnerOnlyDirectory);
        }
    }
}
