using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Upseed.Crypto;

namespace Upseed.Web;

/// <summary>
/// A member's secret key sealed with their passphrase, as kept on the box and as exported: JSON with the public key,
/// a display name, and the 32-byte Ed25519 seed encrypted with AES-256-GCM under a key derived by PBKDF2-HMAC-SHA256
/// (16-byte salt, the iteration count stored in the file, at least 600,000 when made here). The format line and the
/// public key are the GCM associated data, so a file whose public key was swapped fails to open. BCL only (OpenSSL
/// underneath): no second crypto library besides libsodium's signatures.
/// </summary>
internal sealed record SealedKeyFile
{
    public const string FormatName = "upseed-sealed-ed25519-v1";

    /// <summary>Files are a few hundred bytes; anything past 4 KiB is not one of ours and is refused unread.</summary>
    public const int MaxFileBytes = 4096;

    [JsonPropertyName("format")]
    public required string Format { get; init; }

    [JsonPropertyName("publicKey")]
    public required string PublicKey { get; init; }

    [JsonPropertyName("name")]
    public string? Name { get; init; }

    [JsonPropertyName("kdf")]
    public required string Kdf { get; init; }

    [JsonPropertyName("iterations")]
    public required int Iterations { get; init; }

    [JsonPropertyName("salt")]
    public required byte[] Salt { get; init; }

    [JsonPropertyName("nonce")]
    public required byte[] Nonce { get; init; }

    [JsonPropertyName("ciphertext")]
    public required byte[] Ciphertext { get; init; }

    [JsonPropertyName("tag")]
    public required byte[] Tag { get; init; }

    public static SealedKeyFile Seal(Ed25519KeyPair key, string? name, string passphrase, int iterations)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var ciphertext = new byte[Ed25519.SeedSize];
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        var wrapping = Derive(passphrase, salt, iterations);
        try
        {
            using var aes = new AesGcm(wrapping, tag.Length);
            aes.Encrypt(nonce, key.Seed, ciphertext, tag, Associated(key.PublicKeyHex));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(wrapping);
        }

        return new SealedKeyFile
        {
            Format = FormatName,
            PublicKey = key.PublicKeyHex,
            Name = name,
            Kdf = "pbkdf2-sha256",
            Iterations = iterations,
            Salt = salt,
            Nonce = nonce,
            Ciphertext = ciphertext,
            Tag = tag,
        };
    }

    /// <summary>Opens the file with a passphrase; null when the passphrase is wrong or the file was altered.</summary>
    public Ed25519KeyPair? TryOpen(string passphrase)
    {
        var seed = new byte[Ed25519.SeedSize];
        var wrapping = Derive(passphrase, Salt, Iterations);
        try
        {
            using var aes = new AesGcm(wrapping, Tag.Length);
            aes.Decrypt(Nonce, Ciphertext, Tag, seed, Associated(PublicKey));
            var key = Ed25519.FromSeed(seed);
            return key.PublicKeyHex == PublicKey ? key : null;
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(wrapping);
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    public byte[] ToBytes() => JsonSerializer.SerializeToUtf8Bytes(this, s_json);

    /// <summary>Reads a file's bytes; null if they are not a well-formed sealed key file.</summary>
    public static SealedKeyFile? TryRead(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > MaxFileBytes)
        {
            return null;
        }

        SealedKeyFile? file;
        try
        {
            file = JsonSerializer.Deserialize<SealedKeyFile>(bytes, s_json);
        }
        catch (JsonException)
        {
            return null;
        }

        return file is not null
            && file.Format == FormatName
            && file.Kdf == "pbkdf2-sha256"
            && file.Iterations is >= 1 and <= 100_000_000
            && file.PublicKey.Length == 64 && file.PublicKey.All(char.IsAsciiHexDigitLower)
            && file.Salt.Length >= 8
            && file.Nonce.Length == AesGcm.NonceByteSizes.MaxSize
            && file.Ciphertext.Length == Ed25519.SeedSize
            && file.Tag.Length == AesGcm.TagByteSizes.MaxSize
            && (file.Name is null || file.Name.Length <= 64)
            ? file
            : null;
    }

    private static readonly JsonSerializerOptions s_json = new() { MaxDepth = 4, WriteIndented = true };

    private static byte[] Derive(string passphrase, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(passphrase), salt, iterations, HashAlgorithmName.SHA256, 32);

    private static byte[] Associated(string publicKeyHex) => Encoding.ASCII.GetBytes(FormatName + "\n" + publicKeyHex);
}
