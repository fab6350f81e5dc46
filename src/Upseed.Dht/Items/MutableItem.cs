using System.Buffers;
using System.Security.Cryptography;
using Upseed.Bencode;
using Upseed.Crypto;

namespace Upseed.Dht.Items;

/// <summary>
/// A BEP 44 mutable item: a bencoded value signed with an Ed25519 key, stored under SHA-1(k ‖ salt), replaced only by
/// a higher <see cref="Sequence"/>.
/// </summary>
public sealed record MutableItem
{
    /// <exception cref="ArgumentException">A field has the wrong size or is over a BEP 44 limit.</exception>
    public MutableItem(
        ReadOnlyMemory<byte> publicKey,
        ReadOnlyMemory<byte> salt,
        long sequence,
        ReadOnlyMemory<byte> bencodedValue,
        ReadOnlyMemory<byte> signature)
    {
        if (publicKey.Length != ItemLimits.PublicKeySize)
        {
            throw new ArgumentException("k is a 32-byte Ed25519 public key.", nameof(publicKey));
        }

        if (salt.Length > ItemLimits.MaxSaltSize)
        {
            throw new ArgumentException($"salt is at most {ItemLimits.MaxSaltSize} bytes (BEP 44).", nameof(salt));
        }

        if (bencodedValue.IsEmpty || bencodedValue.Length > ItemLimits.MaxValueSize)
        {
            throw new ArgumentException($"v is 1..{ItemLimits.MaxValueSize} bencoded bytes (BEP 44).", nameof(bencodedValue));
        }

        if (signature.Length != ItemLimits.SignatureSize)
        {
            throw new ArgumentException("sig is a 64-byte Ed25519 signature.", nameof(signature));
        }

        PublicKey = publicKey;
        Salt = salt;
        Sequence = sequence;
        Value = bencodedValue;
        Signature = signature;
    }

    public ReadOnlyMemory<byte> PublicKey { get; }

    /// <summary>The salt; empty means none (BEP 44: an empty salt is the same as no salt).</summary>
    public ReadOnlyMemory<byte> Salt { get; }

    /// <summary><c>seq</c>.</summary>
    public long Sequence { get; }

    /// <summary>The bencoded value <c>v</c>, exactly as signed.</summary>
    public ReadOnlyMemory<byte> Value { get; }

    public ReadOnlyMemory<byte> Signature { get; }

    /// <summary>SHA-1(k ‖ salt).</summary>
    public NodeId Target => ComputeTarget(PublicKey.Span, Salt.Span);

    /// <summary>Signs a value with a libsodium secret key (seed ‖ public key).</summary>
    /// <exception cref="ArgumentException">A field is over a BEP 44 limit.</exception>
    public static MutableItem Create(Ed25519KeyPair key, ReadOnlyMemory<byte> salt, long sequence, ReadOnlyMemory<byte> bencodedValue)
    {
        ArgumentNullException.ThrowIfNull(key);
        var signature = key.Sign(SignedBytes(salt.Span, sequence, bencodedValue.Span));
        return new MutableItem(key.PublicKey, salt, sequence, bencodedValue, signature);
    }

    /// <summary>BEP 44: target = SHA-1(k ‖ salt).</summary>
    public static NodeId ComputeTarget(ReadOnlySpan<byte> publicKey, ReadOnlySpan<byte> salt)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA1);
        sha.AppendData(publicKey);
        sha.AppendData(salt);
        Span<byte> hash = stackalloc byte[SHA1.HashSizeInBytes];
        sha.GetHashAndReset(hash);
        return new NodeId(hash);
    }

    /// <summary>
    /// The bytes BEP 44 signs: <c>4:salt&lt;len&gt;:&lt;salt&gt;</c> when the salt is non-empty, then
    /// <c>3:seqi&lt;seq&gt;e1:v</c> and the bencoded value as is.
    /// </summary>
    public static byte[] SignedBytes(ReadOnlySpan<byte> salt, long sequence, ReadOnlySpan<byte> bencodedValue)
    {
        var writer = new ArrayBufferWriter<byte>(32 + salt.Length + bencodedValue.Length);
        if (!salt.IsEmpty)
        {
            BencodeWriter.WriteString(writer, "salt"u8);
            BencodeWriter.WriteString(writer, salt);
        }

        BencodeWriter.WriteString(writer, "seq"u8);
        BencodeWriter.WriteInteger(writer, sequence);
        BencodeWriter.WriteString(writer, "v"u8);
        writer.Write(bencodedValue);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>True when <see cref="Signature"/> is k's signature over <see cref="SignedBytes"/>.</summary>
    public bool VerifySignature() =>
        Ed25519.Verify(PublicKey.Span, SignedBytes(Salt.Span, Sequence, Value.Span), Signature.Span);
}
