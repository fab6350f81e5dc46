namespace Upseed.Dht.Items;

/// <summary>BEP 44 size limits and error codes.</summary>
public static class ItemLimits
{
    /// <summary>Largest bencoded <c>v</c>: BEP 44 lets storers reject anything over 1000 bytes.</summary>
    public const int MaxValueSize = 1000;

    /// <summary>Longest salt (BEP 44).</summary>
    public const int MaxSaltSize = 64;

    /// <summary>Ed25519 public key size (<c>k</c>).</summary>
    public const int PublicKeySize = 32;

    /// <summary>Ed25519 signature size (<c>sig</c>).</summary>
    public const int SignatureSize = 64;
}
