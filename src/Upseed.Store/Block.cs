namespace Upseed.Store;

/// <summary>What a local block matches.</summary>
public enum BlockKind
{
    /// <summary>An author, by public key (64 hex characters).</summary>
    Author,
    /// <summary>A community, by name.</summary>
    Community,
    /// <summary>A regular expression over post titles and bodies and identity names and bios (case-insensitive).</summary>
    Word,
}

/// <summary>One local block and since when (unix seconds).</summary>
public sealed record Block(BlockKind Kind, string Value, long Since);
