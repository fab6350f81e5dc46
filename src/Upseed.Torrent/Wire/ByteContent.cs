namespace Upseed.Torrent.Wire;

/// <summary>Content hashing for the messages that carry bytes, so equal bytes in different buffers are equal messages.</summary>
internal static class ByteContent
{
    public static int GetHashCode(ReadOnlySpan<byte> bytes)
    {
        var hash = new HashCode();
        hash.AddBytes(bytes);
        return hash.ToHashCode();
    }
}
