using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Upseed.Web;

/// <summary>
/// Password hashes as stored: <c>pbkdf2-sha256$ITERATIONS$SALT$HASH</c> (salt and hash in base64). PBKDF2-HMAC-SHA256
/// from the BCL (OpenSSL underneath), 16-byte random salt, 32-byte output, compared in fixed time.
/// </summary>
public static class PasswordHash
{
    /// <summary>OWASP's Password Storage Cheat Sheet (2023) asks 600,000 iterations for PBKDF2-HMAC-SHA256.</summary>
    public const int MinimumIterations = 600_000;

    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>Hashes a password with a fresh salt.</summary>
    public static string Hash(string password, int iterations = MinimumIterations)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>True when the password matches the stored hash. A malformed stored value never matches.</summary>
    public static bool Verify(string password, string stored)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (!TryParse(stored, out var iterations, out var salt, out var expected))
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    /// <summary>The iteration count a stored hash was made with, or 0 if it is not one of ours.</summary>
    public static int IterationsOf(string stored) => TryParse(stored, out var iterations, out _, out _) ? iterations : 0;

    private static bool TryParse(string? stored, out int iterations, out byte[] salt, out byte[] hash)
    {
        iterations = 0;
        salt = hash = [];
        var parts = stored?.Split('$');
        if (parts is not { Length: 4 } || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out iterations) || iterations < 1
            // Bounds what a tampered settings row can make a login cost.
            || iterations > 100_000_000)
        {
            return false;
        }

        try
        {
            salt = Convert.FromBase64String(parts[2]);
            hash = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        return salt.Length >= 8 && hash.Length == HashBytes;
    }
}
