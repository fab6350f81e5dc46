namespace Upseed.Crypto;

/// <summary>An Ed25519 key pair in libsodium's layout: the secret key is seed ‖ public key.</summary>
public sealed class Ed25519KeyPair
{
    private readonly byte[] _secretKey;

    internal Ed25519KeyPair(byte[] publicKey, byte[] secretKey)
    {
        PublicKey = publicKey;
        _secretKey = secretKey;
    }

    public ReadOnlyMemory<byte> PublicKey { get; }

    /// <summary>The 32-byte seed the pair was derived from (what a key file stores).</summary>
    public ReadOnlySpan<byte> Seed => _secretKey.AsSpan(0, Ed25519.SeedSize);

    public ReadOnlySpan<byte> SecretKey => _secretKey;

    public string PublicKeyHex => Convert.ToHexStringLower(PublicKey.Span);

    public void Sign(ReadOnlySpan<byte> message, Span<byte> signature) => Ed25519.Sign(_secretKey, message, signature);

    public byte[] Sign(ReadOnlySpan<byte> message)
    {
        var signature = new byte[Ed25519.SignatureSize];
        Sign(message, signature);
        return signature;
    }
}
