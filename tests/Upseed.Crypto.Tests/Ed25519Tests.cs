using System.Security.Cryptography;

namespace Upseed.Crypto.Tests;

public class Ed25519Tests
{
    private static readonly Rfc8032Vector s_test3 = Rfc8032Vector.Load().Single(v => v.Name == "3");

    public static TheoryData<string> VectorNames() => [.. Rfc8032Vector.Load().Select(v => v.Name)];

    [Fact]
    public void Rfc8032Vectors_LoadedFromFile_AreTheFiveEd25519Tests()
    {
        var vectors = Rfc8032Vector.Load();

        Assert.Equal(["1", "2", "3", "1024", "SHA(abc)"], vectors.Select(v => v.Name));
        Assert.Equal([0, 1, 2, 1023, 64], vectors.Select(v => v.Message.Length));
        // TEST SHA(abc) signs SHA-512("abc"), which the RFC names but does not derive.
        Assert.Equal(SHA512.HashData("abc"u8), vectors[^1].Message);
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void FromSeed_Rfc8032Vector_DerivesThePublicKey(string name)
    {
        var vector = Vector(name);

        var pair = Ed25519.FromSeed(vector.SecretKey);

        Assert.Equal(vector.PublicKey, pair.PublicKey.ToArray());
        Assert.Equal(vector.SecretKey, pair.Seed.ToArray());
        Assert.Equal([.. vector.SecretKey, .. vector.PublicKey], pair.SecretKey.ToArray()); // libsodium: seed ‖ public key
        Assert.Equal(Convert.ToHexStringLower(vector.PublicKey), pair.PublicKeyHex);
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Sign_Rfc8032Vector_ReproducesTheSignature(string name)
    {
        var vector = Vector(name);
        var pair = Ed25519.FromSeed(vector.SecretKey);

        Assert.Equal(vector.Signature, pair.Sign(vector.Message));
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Verify_Rfc8032Vector_ReturnsTrue(string name)
    {
        var vector = Vector(name);

        Assert.True(Ed25519.Verify(vector.PublicKey, vector.Message, vector.Signature));
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Verify_AnyBitFlippedInSignature_ReturnsFalse(string name)
    {
        var vector = Vector(name);
        for (var bit = 0; bit < vector.Signature.Length * 8; bit++)
        {
            Assert.False(Ed25519.Verify(vector.PublicKey, vector.Message, FlipBit(vector.Signature, bit)), $"bit {bit}");
        }
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Verify_AnyBitFlippedInPublicKey_ReturnsFalse(string name)
    {
        var vector = Vector(name);
        for (var bit = 0; bit < vector.PublicKey.Length * 8; bit++)
        {
            Assert.False(Ed25519.Verify(FlipBit(vector.PublicKey, bit), vector.Message, vector.Signature), $"bit {bit}");
        }
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Verify_BitFlippedInMessage_ReturnsFalse(string name)
    {
        var vector = Vector(name);
        if (vector.Message.Length == 0)
        {
            // TEST 1 signs the empty message: any appended byte changes it.
            Assert.False(Ed25519.Verify(vector.PublicKey, [0], vector.Signature));
            return;
        }

        // First, last and a middle bit of every message (every bit would be 8184 checks for TEST 1024).
        foreach (var bit in new[] { 0, 7, vector.Message.Length * 4, (vector.Message.Length * 8) - 1 })
        {
            Assert.False(Ed25519.Verify(vector.PublicKey, FlipBit(vector.Message, bit), vector.Signature), $"bit {bit}");
        }
    }

    [Fact]
    public void Verify_MessageShortenedOrExtended_ReturnsFalse()
    {
        var vector = s_test3;

        Assert.False(Ed25519.Verify(vector.PublicKey, vector.Message.AsSpan(0, 1), vector.Signature));
        Assert.False(Ed25519.Verify(vector.PublicKey, [.. vector.Message, 0], vector.Signature));
    }

    [Theory]
    [InlineData(31, 64)]
    [InlineData(33, 64)]
    [InlineData(0, 64)]
    [InlineData(32, 63)]
    [InlineData(32, 65)] // a valid signature with a byte appended
    [InlineData(32, 0)]
    public void Verify_WrongSizes_ReturnsFalse(int publicKeyLength, int signatureLength)
    {
        var vector = s_test3;
        var publicKey = Resize(vector.PublicKey, publicKeyLength);
        var signature = Resize(vector.Signature, signatureLength);

        Assert.False(Ed25519.Verify(publicKey, vector.Message, signature));
    }

    [Fact]
    public void Verify_SignatureOfAnotherKey_ReturnsFalse()
    {
        var vectors = Rfc8032Vector.Load();

        Assert.False(Ed25519.Verify(vectors[1].PublicKey, vectors[2].Message, vectors[2].Signature));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    [InlineData(64)] // a whole secret key is not a seed
    public void FromSeed_WrongSize_ThrowsArgumentException(int length)
    {
        Assert.Throws<ArgumentException>(() => Ed25519.FromSeed(new byte[length]));
    }

    [Fact]
    public void Sign_WrongSecretKeyOrShortSignatureBuffer_ThrowsArgumentException()
    {
        var pair = Ed25519.FromSeed(s_test3.SecretKey);

        Assert.Throws<ArgumentException>(() => Ed25519.Sign(pair.Seed, s_test3.Message, new byte[64]));
        Assert.Throws<ArgumentException>(() => Ed25519.Sign(pair.SecretKey, s_test3.Message, new byte[63]));
    }

    [Fact]
    public void Sign_LargerSignatureBuffer_WritesTheFirst64Bytes()
    {
        var pair = Ed25519.FromSeed(s_test3.SecretKey);
        var buffer = new byte[80];
        buffer.AsSpan().Fill(0xAA);

        pair.Sign(s_test3.Message, buffer);

        Assert.Equal(s_test3.Signature, buffer[..64]);
        Assert.All(buffer[64..], b => Assert.Equal(0xAA, b));
    }

    [Fact]
    public void Generate_TwoPairs_DifferAndEachVerifiesItsOwnSignature()
    {
        var first = Ed25519.Generate();
        var second = Ed25519.Generate();
        var message = "upseed post"u8.ToArray();

        var signature = first.Sign(message);

        Assert.NotEqual(first.PublicKeyHex, second.PublicKeyHex);
        Assert.True(Ed25519.Verify(first.PublicKey.Span, message, signature));
        Assert.False(Ed25519.Verify(second.PublicKey.Span, message, signature));
        Assert.Equal(first.PublicKey.ToArray(), Ed25519.FromSeed(first.Seed).PublicKey.ToArray());
    }

    private static Rfc8032Vector Vector(string name) => Rfc8032Vector.Load().Single(v => v.Name == name);

    private static byte[] FlipBit(byte[] bytes, int bit)
    {
        var copy = (byte[])bytes.Clone();
        copy[bit / 8] ^= (byte)(1 << (bit % 8));
        return copy;
    }

    private static byte[] Resize(byte[] bytes, int length)
    {
        var resized = new byte[length];
        bytes.AsSpan(0, Math.Min(length, bytes.Length)).CopyTo(resized);
        return resized;
    }
}
