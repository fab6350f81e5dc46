using System.Security.Cryptography;

namespace Upseed.Crypto;

/// <summary>Ed25519 (RFC 8032) signatures through libsodium. No curve arithmetic of our own.</summary>
public static class Ed25519
{
    public const int PublicKeySize = 32;
    public const int SeedSize = 32;
    public const int SecretKeySize = 64;
    public const int SignatureSize = 64;

    /// <summary>Derives the key pair of a 32-byte seed (RFC 8032 §5.1.5).</summary>
    /// <exception cref="ArgumentException">The seed is not 32 bytes.</exception>
    public static unsafe Ed25519KeyPair FromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length != SeedSize)
        {
            throw new ArgumentException($"An Ed25519 seed is {SeedSize} bytes.", nameof(seed));
        }

        Sodium.EnsureInitialized();
        var publicKey = new byte[PublicKeySize];
        var secretKey = new byte[SecretKeySize];
        fixed (byte* pk = publicKey, sk = secretKey, s = seed)
        {
            if (Sodium.crypto_sign_seed_keypair(pk, sk, s) != 0)
            {
                throw new CryptographicException("libsodium could not derive a key pair.");
            }
        }

        return new Ed25519KeyPair(publicKey, secretKey);
    }

    /// <summary>A new key pair from a fresh random seed.</summary>
    public static Ed25519KeyPair Generate()
    {
        Span<byte> seed = stackalloc byte[SeedSize];
        RandomNumberGenerator.Fill(seed);
        try
        {
            return FromSeed(seed);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(seed);
        }
    }

    /// <summary>Signs a message with a 64-byte libsodium secret key (seed ‖ public key).</summary>
    public static unsafe void Sign(ReadOnlySpan<byte> secretKey, ReadOnlySpan<byte> message, Span<byte> signature)
    {
        if (secretKey.Length != SecretKeySize)
        {
            throw new ArgumentException($"An Ed25519 secret key is {SecretKeySize} bytes.", nameof(secretKey));
        }

        if (signature.Length < SignatureSize)
        {
            throw new ArgumentException($"An Ed25519 signature is {SignatureSize} bytes.", nameof(signature));
        }

        Sodium.EnsureInitialized();
        fixed (byte* sig = signature, m = message, sk = secretKey)
        {
            ulong length;
            if (Sodium.crypto_sign_detached(sig, &length, m, (ulong)message.Length, sk) != 0)
            {
                throw new CryptographicException("libsodium could not sign.");
            }
        }
    }

    /// <summary>True when the signature is valid for the message and public key. Wrong sizes are simply invalid.</summary>
    public static unsafe bool Verify(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> message, ReadOnlySpan<byte> signature)
    {
        if (publicKey.Length != PublicKeySize || signature.Length != SignatureSize)
        {
            return false;
        }

        Sodium.EnsureInitialized();
        fixed (byte* sig = signature, m = message, pk = publicKey)
        {
            return Sodium.crypto_sign_verify_detached(sig, m, (ulong)message.Length, pk) == 0;
        }
    }
}
