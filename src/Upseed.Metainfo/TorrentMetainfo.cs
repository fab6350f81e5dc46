using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;
using Upseed.Bencode;

namespace Upseed.Metainfo;

/// <summary>
/// A v1 .torrent file (BEP 3), read strictly. Input is decoded once, through the canonical
/// <see cref="BencodeDecoder"/>, into typed properties, and anything a client could not use safely is refused with a
/// reason, so later code never meets a half-valid torrent. The info-hash is SHA-1 over the <c>info</c> value's bytes
/// exactly as they appear in the input, never a re-encoding (PROTOCOLS.md §1.1).
/// </summary>
public sealed class TorrentMetainfo
{
    /// <summary>Largest piece length: 2^30 (1 GiB), the largest power of two an <see cref="int"/> holds.</summary>
    public const int MaxPieceLength = 1 << 30;

    private readonly ReadOnlyMemory<byte> _pieces;
    private readonly long _singleFileLength;

    private TorrentMetainfo(
        ReadOnlyMemory<byte> rawInfo,
        string name,
        int pieceLength,
        ReadOnlyMemory<byte> pieces,
        bool isMultiFile,
        long singleFileLength,
        IReadOnlyList<TorrentFileEntry> files,
        long totalLength,
        IReadOnlyList<string> trackers)
    {
        RawInfo = rawInfo;
        InfoHash = new InfoHash(SHA1.HashData(rawInfo.Span));
        Name = name;
        PieceLength = pieceLength;
        _pieces = pieces;
        IsMultiFile = isMultiFile;
        _singleFileLength = singleFileLength;
        Files = files;
        TotalLength = totalLength;
        Trackers = trackers;
    }

    /// <summary>
    /// Decoder limits for .torrent input. Defaults to 10,000,000 bytes for the whole file and for one string (the
    /// <c>max_buffer_size</c> libtorrent's load_torrent_limits uses), depth 32 (a v2/hybrid <c>file tree</c> nests
    /// one level per directory), and 200,000 values (about 40,000 files). An Upseed record torrent needs under 1 KiB.
    /// </summary>
    public static BencodeOptions DefaultDecoderOptions { get; } = new()
    {
        MaxMessageSize = 10_000_000,
        MaxStringLength = 10_000_000,
        MaxDepth = 32,
        MaxValues = 200_000,
    };

    /// <summary>SHA-1 of <see cref="RawInfo"/>: the torrent's identity on the wire, in the DHT and in magnet links.</summary>
    public InfoHash InfoHash { get; }

    /// <summary>The bencoded <c>info</c> value exactly as found in the input; what ut_metadata (BEP 9) serves.</summary>
    public ReadOnlyMemory<byte> RawInfo { get; }

    /// <summary>The file name (single-file) or folder name (multi-file); a valid path element.</summary>
    public string Name { get; }

    /// <summary>Bytes per piece: a power of two from 1 to <see cref="MaxPieceLength"/>.</summary>
    public int PieceLength { get; }

    /// <summary>Number of pieces; always <c>ceil(TotalLength / PieceLength)</c>.</summary>
    public int PieceCount => _pieces.Length / 20;

    /// <summary>The concatenated 20-byte SHA-1 piece hashes (the <c>pieces</c> string).</summary>
    public ReadOnlyMemory<byte> Pieces => _pieces;

    /// <summary>True when the torrent has a <c>files</c> list, false when it has a single <c>length</c>.</summary>
    public bool IsMultiFile { get; }

    /// <summary>
    /// The files in the order the torrent lists them (pieces run across them in this order). A single-file torrent
    /// has one entry whose path is <see cref="Name"/>, as libtorrent presents it.
    /// </summary>
    public IReadOnlyList<TorrentFileEntry> Files { get; }

    /// <summary>Sum of all file lengths; at least 1 (clients refuse empty torrents).</summary>
    public long TotalLength { get; }

    /// <summary>
    /// Tracker URLs: <c>announce</c> first, then every <c>announce-list</c> tier in order (BEP 12), each URL once.
    /// Empty for a trackerless torrent and for one built by <see cref="FromInfo"/>.
    /// </summary>
    public IReadOnlyList<string> Trackers { get; }

    /// <summary>Parses a .torrent file. The input is copied, so the caller may reuse its buffer.</summary>
    /// <param name="torrent">The whole .torrent file.</param>
    /// <param name="options">Decoder limits; <see cref="DefaultDecoderOptions"/> when null.</param>
    /// <exception cref="InvalidDataException">
    /// The input is not canonical bencode, has no <c>info</c> dictionary, or the info dictionary is not a usable v1
    /// torrent (the message says which rule it breaks).
    /// </exception>
    public static TorrentMetainfo Parse(ReadOnlyMemory<byte> torrent, BencodeOptions? options = null)
    {
        var root = Decode(torrent.ToArray(), options, "the .torrent file");
        if (root is not BDictionary dictionary)
        {
            throw Invalid("the top level is not a dictionary.");
        }

        if (!dictionary.TryGetValue("info"u8, out var infoValue))
        {
            throw Invalid("there is no 'info' dictionary.");
        }

        if (infoValue is not BDictionary info)
        {
            throw Invalid("'info' is not a dictionary.");
        }

        var trackers = ReadTrackers(dictionary);
        return FromInfoDictionary(info, trackers);
    }

    /// <summary>
    /// Builds the metainfo from a bare info dictionary, as ut_metadata (BEP 9) delivers it once all its pieces have
    /// arrived. The caller compares <see cref="InfoHash"/> with the hash it asked for before using the result.
    /// </summary>
    /// <param name="rawInfo">The bencoded info dictionary, nothing before or after it. It is copied.</param>
    /// <param name="options">Decoder limits; <see cref="DefaultDecoderOptions"/> when null.</param>
    /// <exception cref="InvalidDataException">The bytes are not canonical bencode or not a usable v1 info dictionary.</exception>
    public static TorrentMetainfo FromInfo(ReadOnlyMemory<byte> rawInfo, BencodeOptions? options = null)
    {
        var value = Decode(rawInfo.ToArray(), options, "the info dictionary");
        if (value is not BDictionary info)
        {
            throw Invalid("the info value is not a dictionary.");
        }

        return FromInfoDictionary(info, []);
    }

    /// <summary>The SHA-1 hash of piece <paramref name="index"/>, to check a downloaded piece against.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is not below <see cref="PieceCount"/>.</exception>
    public ReadOnlySpan<byte> GetPieceHash(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, PieceCount);
        return _pieces.Span.Slice(index * 20, 20);
    }

    /// <summary>The length of the one file of a single-file torrent; false for a multi-file torrent (see <see cref="Files"/>).</summary>
    public bool TryGetLength(out long length)
    {
        length = _singleFileLength;
        return !IsMultiFile;
    }

    /// <summary>A magnet link for this torrent: info-hash, <see cref="Name"/> as <c>dn</c>, and the trackers.</summary>
    /// <exception cref="ArgumentException">The link would be longer than <see cref="MagnetLink.MaxLength"/> (too many trackers).</exception>
    public MagnetLink ToMagnetLink() => new(InfoHash, Name, Trackers);

    private static BValue Decode(ReadOnlyMemory<byte> input, BencodeOptions? options, string what)
    {
        try
        {
            return BencodeDecoder.Decode(input, options ?? DefaultDecoderOptions);
        }
        catch (BencodeException ex)
        {
            throw new InvalidDataException($"Invalid torrent: {what} is not valid canonical bencode: {ex.Message}.", ex);
        }
    }

    private static TorrentMetainfo FromInfoDictionary(BDictionary info, IReadOnlyList<string> trackers)
    {
        var name = ReadPathElement(RequireString(info, "name"), "'name'");

        var pieceLengthValue = RequireInteger(info, "piece length");
        if (pieceLengthValue <= 0 || (pieceLengthValue & (pieceLengthValue - 1)) != 0)
        {
            throw Invalid($"'piece length' {pieceLengthValue} is not a positive power of two.");
        }

        if (pieceLengthValue > MaxPieceLength)
        {
            throw Invalid($"'piece length' {pieceLengthValue} is over {MaxPieceLength} (1 GiB).");
        }

        var pieceLength = (int)pieceLengthValue;
        var pieces = RequireString(info, "pieces").Value;
        if (pieces.Length % 20 != 0)
        {
            throw Invalid($"'pieces' is {pieces.Length} bytes, not a multiple of 20 (one SHA-1 per piece).");
        }

        var hasLength = info.TryGetValue("length"u8, out var lengthValue);
        var hasFiles = info.TryGetValue("files"u8, out var filesValue);
        if (hasLength == hasFiles)
        {
            throw Invalid(hasLength
                ? "the info dictionary has both 'length' and 'files'; a torrent is single-file or multi-file, not both."
                : "the info dictionary has neither 'length' (single file) nor 'files' (multi-file).");
        }

        IReadOnlyList<TorrentFileEntry> files;
        long singleFileLength = 0;
        long totalLength;
        if (hasLength)
        {
            singleFileLength = AsLength(lengthValue!, "'length'");
            totalLength = singleFileLength;
            files = [new TorrentFileEntry(singleFileLength, [name])];
        }
        else
        {
            files = ReadFiles(filesValue!, out totalLength);
        }

        // libtorrent ("invalid length of torrent") and Transmission both refuse a torrent with no bytes.
        if (totalLength == 0)
        {
            throw Invalid("the torrent's total length is 0; there is nothing to share.");
        }

        var expectedPieces = ((totalLength - 1) / pieceLength) + 1;
        var actualPieces = pieces.Length / 20;
        if (expectedPieces != actualPieces)
        {
            throw Invalid($"'pieces' holds {actualPieces} hashes, but {totalLength} bytes in pieces of {pieceLength} make {expectedPieces}.");
        }

        return new TorrentMetainfo(info.Raw, name, pieceLength, pieces, hasFiles, singleFileLength, files, totalLength, trackers);
    }

    private static TorrentFileEntry[] ReadFiles(BValue filesValue, out long totalLength)
    {
        if (filesValue is not BList list)
        {
            throw Invalid("'files' is not a list.");
        }

        if (list.Count == 0)
        {
            throw Invalid("'files' is an empty list.");
        }

        var files = new TorrentFileEntry[list.Count];
        totalLength = 0;
        for (var i = 0; i < list.Count; i++)
        {
            var where = $"files[{i}]";
            if (list[i] is not BDictionary file)
            {
                throw Invalid($"{where} is not a dictionary.");
            }

            if (!file.TryGetValue("length"u8, out var lengthValue))
            {
                throw Invalid($"{where} has no 'length'.");
            }

            var length = AsLength(lengthValue, $"{where} 'length'");
            if (length > long.MaxValue - totalLength)
            {
                throw Invalid("the file lengths add up to more than 2^63 - 1 bytes.");
            }

            totalLength += length;

            if (!file.TryGetValue("path"u8, out var pathValue))
            {
                throw Invalid($"{where} has no 'path'.");
            }

            if (pathValue is not BList pathList)
            {
                throw Invalid($"{where} 'path' is not a list.");
            }

            if (pathList.Count == 0)
            {
                throw Invalid($"{where} 'path' is an empty list.");
            }

            var path = new string[pathList.Count];
            for (var j = 0; j < pathList.Count; j++)
            {
                if (pathList[j] is not BString element)
                {
                    throw Invalid($"{where} path[{j}] is not a byte string.");
                }

                path[j] = ReadPathElement(element, $"{where} path[{j}]");
            }

            files[i] = new TorrentFileEntry(length, path);
        }

        return files;
    }

    private static string[] ReadTrackers(BDictionary root)
    {
        var trackers = new List<string>();
        if (root.TryGetValue("announce"u8, out var announce))
        {
            AddTracker(trackers, announce, "'announce'");
        }

        if (root.TryGetValue("announce-list"u8, out var announceList))
        {
            if (announceList is not BList tiers)
            {
                throw Invalid("'announce-list' is not a list.");
            }

            for (var i = 0; i < tiers.Count; i++)
            {
                if (tiers[i] is not BList tier)
                {
                    throw Invalid($"'announce-list' tier {i} is not a list.");
                }

                for (var j = 0; j < tier.Count; j++)
                {
                    AddTracker(trackers, tier[j], $"'announce-list' tier {i} entry {j}");
                }
            }
        }

        return [.. trackers];
    }

    private static void AddTracker(List<string> trackers, BValue value, string where)
    {
        if (value is not BString url)
        {
            throw Invalid($"{where} is not a byte string.");
        }

        var text = ReadUtf8(url, where);

        // An empty URL names no tracker; some creators write "announce": "" for trackerless torrents.
        if (text.Length > 0 && !trackers.Contains(text, StringComparer.Ordinal))
        {
            trackers.Add(text);
        }
    }

    private static string ReadPathElement(BString value, string where)
    {
        var text = ReadUtf8(value, where);
        if (PathElement.Problem(text) is { } problem)
        {
            throw Invalid($"{where} {problem}; it cannot be a file or folder name.");
        }

        return text;
    }

    // BEP 3: all strings in a .torrent that hold text are UTF-8. Decoding invalid bytes would silently produce U+FFFD.
    private static string ReadUtf8(BString value, string where)
    {
        if (!Utf8.IsValid(value.Span))
        {
            throw Invalid($"{where} is not valid UTF-8.");
        }

        return Encoding.UTF8.GetString(value.Span);
    }

    private static BString RequireString(BDictionary dictionary, string key)
    {
        if (!dictionary.TryGetValue(key, out var value))
        {
            throw Invalid($"the info dictionary has no '{key}'.");
        }

        if (value is not BString text)
        {
            throw Invalid($"'{key}' is not a byte string.");
        }

        return text;
    }

    private static long RequireInteger(BDictionary dictionary, string key)
    {
        if (!dictionary.TryGetValue(key, out var value))
        {
            throw Invalid($"the info dictionary has no '{key}'.");
        }

        if (value is not BInteger integer)
        {
            throw Invalid($"'{key}' is not an integer.");
        }

        return integer.Value;
    }

    private static long AsLength(BValue value, string where)
    {
        if (value is not BInteger integer)
        {
            throw Invalid($"{where} is not an integer.");
        }

        if (integer.Value < 0)
        {
            throw Invalid($"{where} is negative ({integer.Value}).");
        }

        return integer.Value;
    }

    // Returned, not thrown, so that call sites read "throw Invalid(...)" and the compiler sees the branch end.
    private static InvalidDataException Invalid(string reason) => new("Invalid torrent: " + reason);
}
