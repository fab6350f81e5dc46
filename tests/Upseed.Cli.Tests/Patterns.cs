namespace Upseed.Cli.Tests;

/// <summary>The shapes the CLI contract (issue 2) promises on stdout.</summary>
internal static class Patterns
{
    /// <summary>An Ed25519 public key: 32 bytes as 64 lowercase hex characters.</summary>
    public const string PublicKey = "^[0-9a-f]{64}$";

    /// <summary>A record id, the v1 info-hash of its torrent: 20 bytes as 40 lowercase hex characters.</summary>
    public const string RecordId = "^[0-9a-f]{40}$";
}
