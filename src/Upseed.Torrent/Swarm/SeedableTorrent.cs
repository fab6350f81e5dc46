using System.Security.Cryptography;
using Upseed.Metainfo;

namespace Upseed.Torrent.Swarm;

/// <summary>
/// A small torrent held whole in memory for as long as a session serves it: its info dictionary (for ut_metadata),
/// its piece hashes and its content. Built on demand from the store for each connection (lazy seeding), never kept
/// per post.
/// </summary>
public sealed class SeedableTorrent
{
    private SeedableTorrent(TorrentMetainfo metainfo, ReadOnlyMemory<byte> content)
    {
        Metainfo = metainfo;
        Content = content;
    }

    public TorrentMetainfo Metainfo { get; }

    public InfoHash InfoHash => Metainfo.InfoHash;

    /// <summary>The bencoded info dictionary, exactly as hashed.</summary>
    public ReadOnlyMemory<byte> Info => Metainfo.RawInfo;

    /// <summary>The torrent's files laid end to end.</summary>
    public ReadOnlyMemory<byte> Content { get; }

    public int PieceLength => Metainfo.PieceLength;

    public int PieceCount => Metainfo.PieceCount;

    /// <summary>A single-file torrent over <paramref name="content"/> (how records are seeded).</summary>
    public static SeedableTorrent FromSingleFile(string name, ReadOnlyMemory<byte> content, int pieceLength = SingleFileTorrent.RecordPieceLength)
    {
        var info = SingleFileTorrent.BuildInfo(name, content.Span, pieceLength);
        return new SeedableTorrent(TorrentMetainfo.FromInfo(info), content);
    }

    /// <summary>A torrent whose content has been fetched; checks every piece against the metainfo.</summary>
    /// <exception cref="InvalidDataException">The content does not match the metainfo.</exception>
    public static SeedableTorrent FromVerified(TorrentMetainfo metainfo, ReadOnlyMemory<byte> content)
    {
        ArgumentNullException.ThrowIfNull(metainfo);
        if (content.Length != metainfo.TotalLength)
        {
            throw new InvalidDataException($"The content is {content.Length} bytes; the torrent says {metainfo.TotalLength}.");
        }

        for (var piece = 0; piece < metainfo.PieceCount; piece++)
        {
            if (!PieceMatches(metainfo, piece, content.Span.Slice(PieceStart(metainfo, piece), PieceSize(metainfo, piece))))
            {
                throw new InvalidDataException($"Piece {piece} does not match its hash.");
            }
        }

        return new SeedableTorrent(metainfo, content);
    }

    public int PieceSize(int piece) => PieceSize(Metainfo, piece);

    internal static int PieceStart(TorrentMetainfo metainfo, int piece) => checked(piece * metainfo.PieceLength);

    internal static int PieceSize(TorrentMetainfo metainfo, int piece) =>
        (int)Math.Min(metainfo.PieceLength, metainfo.TotalLength - ((long)piece * metainfo.PieceLength));

    internal static bool PieceMatches(TorrentMetainfo metainfo, int piece, ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[20];
        SHA1.HashData(data, hash);
        return hash.SequenceEqual(metainfo.GetPieceHash(piece));
    }

    /// <summary>True when a block request lies inside a piece (BEP 3: blocks never cross pieces).</summary>
    public bool IsValidBlock(int piece, int begin, int length) =>
        piece >= 0 && piece < PieceCount && begin >= 0 && length > 0 && (long)begin + length <= PieceSize(piece);

    public ReadOnlyMemory<byte> Block(int piece, int begin, int length) =>
        Content.Slice(PieceStart(Metainfo, piece) + begin, length);
}
