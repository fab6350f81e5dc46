namespace Upseed.Metainfo;

/// <summary>
/// One file of a torrent (BEP 3 <c>files</c> entry): its length and its path below the torrent's folder, one
/// element per directory level. Entries from <see cref="TorrentMetainfo"/> have passed its path checks, so joining
/// the elements with a separator cannot leave the download folder.
/// </summary>
/// <param name="Length">Bytes in the file; never negative.</param>
/// <param name="Path">Path elements, at least one; for a single-file torrent, the torrent's name alone.</param>
public sealed record TorrentFileEntry(long Length, IReadOnlyList<string> Path)
{
    /// <summary>The path elements joined with '/', for display and logs.</summary>
    public string JoinedPath => string.Join('/', Path);

    /// <summary>Equal when the lengths and every path element are equal (a record would compare the list by reference).</summary>
    public bool Equals(TorrentFileEntry? other) =>
        other is not null && Length == other.Length && Path.SequenceEqual(other.Path, StringComparer.Ordinal);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Length);
        foreach (var element in Path)
        {
            hash.Add(element, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }
}
