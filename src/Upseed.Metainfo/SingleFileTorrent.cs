using System.Buffers;
using System.Security.Cryptography;
using Upseed.Bencode;

namespace Upseed.Metainfo;

/// <summary>
/// Builds the <c>info</c> dictionary of a single-file v1 torrent (BEP 3) from the file's bytes:
/// <c>{length, name, piece length, pieces}</c>, canonical, so every node derives the same info-hash from the same bytes.
/// </summary>
public static class SingleFileTorrent
{
    /// <summary>Piece length of record torrents: 16 KiB, one BitTorrent block, so a record of under 64 KiB is at most 4 pieces.</summary>
    public const int RecordPieceLength = 16 * 1024;

    // Throws (an ArgumentException) on a lone surrogate instead of writing U+FFFD: the name must say what the caller meant.
    private static readonly System.Text.UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The canonical bencoded info dictionary.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The piece length is not a positive power of two.</exception>
    /// <exception cref="ArgumentException">The content is empty, or the name is not a usable file name.</exception>
    public static byte[] BuildInfo(string name, ReadOnlySpan<byte> content, int pieceLength = RecordPieceLength)
    {
        // Checked before sizing the buffer: PieceCount divides by the piece length.
        ArgumentNullException.ThrowIfNull(name);
        ValidatePieceLength(pieceLength);
        var writer = new ArrayBufferWriter<byte>(128 + name.Length + (PieceCount(content.Length, pieceLength) * 20));
        WriteInfo(writer, name, content, pieceLength);
        return writer.WrittenSpan.ToArray();
    }

    /// <summary>Writes the canonical info dictionary. Keys in raw-byte order: length, name, piece length, pieces.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The piece length is not a positive power of two.</exception>
    /// <exception cref="ArgumentException">The content is empty, or the name is not a usable file name.</exception>
    public static void WriteInfo(IBufferWriter<byte> writer, string name, ReadOnlySpan<byte> content, int pieceLength = RecordPieceLength)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(name);
        ValidatePieceLength(pieceLength);

        // libtorrent ("invalid length of torrent") and Transmission ("Invalid metadata entry") both refuse a
        // torrent of 0 bytes, so one could never be fetched by another client (tests/Upseed.Interop.Tests).
        if (content.IsEmpty)
        {
            throw new ArgumentException("A torrent needs at least one byte of content; BitTorrent clients refuse empty ones.", nameof(content));
        }

        // The name is the file name other clients save under; TorrentMetainfo refuses the same names.
        if (PathElement.Problem(name) is { } problem)
        {
            throw new ArgumentException($"The torrent name {problem}.", nameof(name));
        }

        var pieces = PieceCount(content.Length, pieceLength);
        BencodeWriter.WriteByte(writer, (byte)'d');
        BencodeWriter.WriteString(writer, "length"u8);
        BencodeWriter.WriteInteger(writer, content.Length);
        BencodeWriter.WriteString(writer, "name"u8);
        WriteUtf8String(writer, name);
        BencodeWriter.WriteString(writer, "piece length"u8);
        BencodeWriter.WriteInteger(writer, pieceLength);
        BencodeWriter.WriteString(writer, "pieces"u8);

        // "<20*pieces>:" then each piece's SHA-1 written straight into the output.
        var hashesLength = pieces * 20;
        BencodeWriter.WriteStringHeader(writer, hashesLength);
        var span = writer.GetSpan(hashesLength);
        for (var i = 0; i < pieces; i++)
        {
            var start = i * pieceLength;
            var piece = content.Slice(start, Math.Min(pieceLength, content.Length - start));
            SHA1.HashData(piece, span.Slice(i * 20, 20));
        }

        writer.Advance(hashesLength);
        BencodeWriter.WriteByte(writer, (byte)'e');
    }

    /// <summary>The info-hash of the single-file torrent whose file is <paramref name="content"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The piece length is not a positive power of two.</exception>
    /// <exception cref="ArgumentException">The content is empty, or the name is not a usable file name.</exception>
    public static InfoHash ComputeInfoHash(string name, ReadOnlySpan<byte> content, int pieceLength = RecordPieceLength)
    {
        // Every record that arrives has its id derived here: reuse one buffer per thread instead of allocating.
        var writer = t_infoWriter ??= new ArrayBufferWriter<byte>(512);
        writer.ResetWrittenCount();
        WriteInfo(writer, name, content, pieceLength);
        Span<byte> hash = stackalloc byte[InfoHash.Size];
        SHA1.HashData(writer.WrittenSpan, hash);
        if (writer.Capacity > 64 * 1024)
        {
            t_infoWriter = null; // do not keep a large torrent's buffer alive
        }

        return new InfoHash(hash);
    }

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_infoWriter;

    /// <summary>
    /// A complete .torrent file: <c>{info}</c>, plus <c>announce</c>/<c>announce-list</c> when trackers are given
    /// and <c>created by</c>. No creation date, so the file is the same on every node.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The piece length is not a positive power of two.</exception>
    /// <exception cref="ArgumentException">The content is empty, or the name is not a usable file name.</exception>
    public static byte[] BuildTorrentFile(string name, ReadOnlySpan<byte> content, IReadOnlyList<string>? trackers = null, int pieceLength = RecordPieceLength)
    {
        var info = BencodeDecoder.Decode(BuildInfo(name, content, pieceLength));
        var torrent = new BDictionary();
        if (trackers is { Count: > 0 })
        {
            torrent.Set("announce", trackers[0]);
            torrent.Set("announce-list", new BList(trackers.Select(t => (BValue)new BList(new BString(t))).ToArray()));
        }

        torrent.Set("created by", "Upseed");
        torrent.Set("info", info);
        return torrent.Encode();
    }

    public static int PieceCount(int contentLength, int pieceLength) =>
        contentLength == 0 ? 0 : ((contentLength - 1) / pieceLength) + 1;

    private static void ValidatePieceLength(int pieceLength)
    {
        if (pieceLength <= 0 || (pieceLength & (pieceLength - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(pieceLength), "A piece length is a positive power of two.");
        }
    }

    private static void WriteUtf8String(IBufferWriter<byte> writer, string text)
    {
        var byteCount = s_strictUtf8.GetByteCount(text);
        var buffer = ArrayPool<byte>.Shared.Rent(byteCount);
        try
        {
            var written = s_strictUtf8.GetBytes(text, buffer);
            BencodeWriter.WriteString(writer, buffer.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
