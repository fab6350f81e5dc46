using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Upseed.Crypto.Tests;

public class ProofOfWorkTests
{
    // A fixed challenge, as a record's 32-byte digest would be.
    private static readonly byte[] s_challenge = SHA256.HashData("upseed proof-of-work test challenge"u8);
    private static readonly byte[] s_otherChallenge = SHA256.HashData("another record"u8);

    [Theory]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(10)]
    [InlineData(11)]
    [InlineData(12)]
    public void Solve_Difficulty_FindsTheFirstNonceThatVerifies(int difficulty)
    {
        var nonce = ProofOfWork.Solve(s_challenge, difficulty);

        Assert.True(ProofOfWork.Verify(s_challenge, nonce, difficulty));
        Assert.True(IndependentLeadingZeroBits(s_challenge, nonce) >= difficulty);
        for (ulong earlier = 0; earlier < nonce; earlier++)
        {
            Assert.True(IndependentLeadingZeroBits(s_challenge, earlier) < difficulty, $"nonce {earlier} already met {difficulty}");
        }
    }

    [Fact]
    public void Solve_FromStart_SearchesOnlyFromThere()
    {
        var first = ProofOfWork.Solve(s_challenge, 8);

        var next = ProofOfWork.Solve(s_challenge, 8, start: first + 1);

        Assert.True(next > first);
        Assert.True(ProofOfWork.Verify(s_challenge, next, 8));
        Assert.Equal(first, ProofOfWork.Solve(s_challenge, 8, start: first));
    }

    [Fact]
    public void Verify_HighDifficultyWithWrongNonceOrChallenge_ReturnsFalse()
    {
        const int difficulty = 16;
        var nonce = ProofOfWork.Solve(s_challenge, difficulty);

        Assert.True(ProofOfWork.Verify(s_challenge, nonce, difficulty));
        foreach (var wrong in new[] { nonce - 1, nonce + 1, nonce ^ 0x100, 0UL, ulong.MaxValue })
        {
            Assert.Equal(IndependentLeadingZeroBits(s_challenge, wrong) >= difficulty, ProofOfWork.Verify(s_challenge, wrong, difficulty));
            Assert.False(ProofOfWork.Verify(s_challenge, wrong, difficulty), $"nonce {wrong}");
        }

        Assert.False(ProofOfWork.Verify(s_otherChallenge, nonce, difficulty));
        var flipped = (byte[])s_challenge.Clone();
        flipped[31] ^= 1;
        Assert.False(ProofOfWork.Verify(flipped, nonce, difficulty));
    }

    [Fact]
    public void Verify_DifficultyAboveTheProof_ReturnsFalse()
    {
        var nonce = ProofOfWork.Solve(s_challenge, 10);
        var bits = IndependentLeadingZeroBits(s_challenge, nonce);

        Assert.True(ProofOfWork.Verify(s_challenge, nonce, bits));
        Assert.False(ProofOfWork.Verify(s_challenge, nonce, bits + 1));
    }

    [Fact]
    public void Verify_DifficultyZeroOrBelow_ReturnsTrueForAnyNonce()
    {
        Assert.True(ProofOfWork.Verify(s_challenge, 12345, 0));
        Assert.True(ProofOfWork.Verify(s_challenge, 12345, -1));
    }

    [Fact]
    public void LeadingZeroBits_ManyNonces_MatchesSha256ComputedHere()
    {
        var seen = new HashSet<int>();
        for (ulong nonce = 0; nonce < 5_000; nonce++)
        {
            var expected = IndependentLeadingZeroBits(s_challenge, nonce);
            Assert.Equal(expected, ProofOfWork.LeadingZeroBits(s_challenge, nonce));
            seen.Add(expected);
        }

        // 5,000 hashes reach 0 up to about 12 leading zero bits: enough to cover byte and word boundaries.
        Assert.Subset(seen, Enumerable.Range(0, 10).ToHashSet());
    }

    [Theory]
    [InlineData(0xFFFF_FFFF_FFFF_FFFFUL)]
    [InlineData(0x0102_0304_0506_0708UL)] // byte order of the nonce matters
    public void LeadingZeroBits_LargeNonces_MatchesSha256ComputedHere(ulong nonce)
    {
        Assert.Equal(IndependentLeadingZeroBits(s_challenge, nonce), ProofOfWork.LeadingZeroBits(s_challenge, nonce));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    [InlineData(33)]
    public void LeadingZeroBitsAndSolve_ChallengeNot32Bytes_ThrowArgumentException(int length)
    {
        Assert.Throws<ArgumentException>(() => ProofOfWork.LeadingZeroBits(new byte[length], 0));
        Assert.Throws<ArgumentException>(() => ProofOfWork.Solve(new byte[length], 1));
    }

    [Fact]
    public void Solve_DifficultyOverMax_ThrowsArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ProofOfWork.Solve(s_challenge, ProofOfWork.MaxDifficulty + 1));
    }

    [Fact]
    public void Solve_CancelledToken_ThrowsOperationCanceled()
    {
        using var cancellation = new CancellationTokenSource();
        cancellation.Cancel();

        Assert.Throws<OperationCanceledException>(() => ProofOfWork.Solve(s_challenge, ProofOfWork.MaxDifficulty, 0, cancellation.Token));
    }

    /// <summary>
    /// The proof as ProofOfWork documents it, written out here: SHA-256 over the domain "upseed-pow-v1\0", the
    /// challenge and the nonce as 8 bytes little-endian; zero bits counted one by one from the most significant bit.
    /// </summary>
    private static int IndependentLeadingZeroBits(byte[] challenge, ulong nonce)
    {
        var nonceBytes = new byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(nonceBytes, nonce);
        var hash = SHA256.HashData([.. "upseed-pow-v1\0"u8, .. challenge, .. nonceBytes]);
        var bits = 0;
        foreach (var b in hash)
        {
            for (var mask = 0x80; mask != 0; mask >>= 1)
            {
                if ((b & mask) != 0)
                {
                    return bits;
                }

                bits++;
            }
        }

        return bits;
    }
}
