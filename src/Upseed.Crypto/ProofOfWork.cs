using System.Buffers.Binary;
using System.Numerics;
using System.Security.Cryptography;

namespace Upseed.Crypto;

/// <summary>
/// Hashcash-style proof of work: find a nonce such that SHA-256(domain ‖ challenge ‖ nonce as 8 bytes little-endian)
/// starts with at least <c>difficulty</c> zero bits. The challenge is a 32-byte digest of the record being proven, so
/// each attempt hashes a fixed 54 bytes however long the record is.
/// </summary>
public static class ProofOfWork
{
    /// <summary>Domain separation: a proof for Upseed cannot be reused elsewhere, nor another system's for us.</summary>
    private static ReadOnlySpan<byte> Domain => "upseed-pow-v1\0"u8;

    public const int ChallengeSize = 32;

    /// <summary>Highest difficulty accepted; 2^40 hashes is beyond any honest device.</summary>
    public const int MaxDifficulty = 40;

    /// <summary>Counts leading zero bits of the proof hash for this challenge and nonce.</summary>
    public static int LeadingZeroBits(ReadOnlySpan<byte> challenge, ulong nonce)
    {
        Span<byte> input = stackalloc byte[14 + ChallengeSize + 8];
        Span<byte> hash = stackalloc byte[32];
        Fill(input, challenge);
        BinaryPrimitives.WriteUInt64LittleEndian(input[^8..], nonce);
        SHA256.HashData(input, hash);
        return CountLeadingZeroBits(hash);
    }

    public static bool Verify(ReadOnlySpan<byte> challenge, ulong nonce, int difficulty) =>
        difficulty <= 0 || LeadingZeroBits(challenge, nonce) >= difficulty;

    /// <summary>Searches nonces from <paramref name="start"/> on until one meets the difficulty.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The difficulty is above <see cref="MaxDifficulty"/>.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    public static ulong Solve(ReadOnlySpan<byte> challenge, int difficulty, ulong start = 0, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(difficulty, MaxDifficulty);
        if (challenge.Length != ChallengeSize)
        {
            throw new ArgumentException($"A proof-of-work challenge is {ChallengeSize} bytes.", nameof(challenge));
        }

        Span<byte> input = stackalloc byte[14 + ChallengeSize + 8];
        Span<byte> hash = stackalloc byte[32];
        Fill(input, challenge);
        var nonceSlot = input[^8..];
        for (var nonce = start; ; nonce++)
        {
            if ((nonce & 0xFFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            BinaryPrimitives.WriteUInt64LittleEndian(nonceSlot, nonce);
            SHA256.HashData(input, hash);
            if (CountLeadingZeroBits(hash) >= difficulty)
            {
                return nonce;
            }
        }
    }

    private static void Fill(Span<byte> input, ReadOnlySpan<byte> challenge)
    {
        if (challenge.Length != ChallengeSize)
        {
            throw new ArgumentException($"A proof-of-work challenge is {ChallengeSize} bytes.", nameof(challenge));
        }

        Domain.CopyTo(input);
        challenge.CopyTo(input[Domain.Length..]);
    }

    private static int CountLeadingZeroBits(ReadOnlySpan<byte> hash)
    {
        var bits = 0;
        for (var i = 0; i < hash.Length; i += 8)
        {
            var word = BinaryPrimitives.ReadUInt64BigEndian(hash[i..]);
            if (word != 0)
            {
                return bits + BitOperations.LeadingZeroCount(word);
            }

            bits += 64;
        }

        return bits;
    }
}
