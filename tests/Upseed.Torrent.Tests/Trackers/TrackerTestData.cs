using System.Security.Cryptography;
using System.Text;
using Upseed.Metainfo;
using Upseed.Torrent.Trackers;

namespace Upseed.Torrent.Tests.Trackers;

/// <summary>Ids and requests for tracker tests. Info-hashes derive from a name, so each test's hashes are its own.</summary>
internal static class TrackerTestData
{
    /// <summary>The info-hash BEP 3 uses to show percent-encoding: 12 34 56 78 9a bc de f1 23 45 67 89 ab cd ef 12 34 56 78 9a.</summary>
    public static InfoHash Bep3InfoHash { get; } = InfoHash.Parse("123456789abcdef123456789abcdef123456789a");

    /// <summary>A printable peer id: Upseed's client prefix and 12 letters.</summary>
    public static PeerId PrintablePeerId { get; } = new("-US0001-abcdefghijkl"u8);

    public static InfoHash HashOf(string name) => new(SHA1.HashData(Encoding.UTF8.GetBytes(name)));

    public static PeerId PeerIdOf(string name)
    {
        Span<byte> bytes = stackalloc byte[PeerId.Size];
        "-US0001-"u8.CopyTo(bytes);
        SHA1.HashData(Encoding.UTF8.GetBytes(name)).AsSpan(0, 12).CopyTo(bytes[8..]);
        return new PeerId(bytes);
    }

    public static AnnounceRequest Request(InfoHash infoHash, PeerId peerId, int port, long left = 0) =>
        new(infoHash, peerId, port, Uploaded: 0, Downloaded: 0, Left: left);

    public static byte[] Ascii(string text) => Encoding.Latin1.GetBytes(text);

    public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
