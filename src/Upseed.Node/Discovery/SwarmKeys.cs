using System.Security.Cryptography;
using System.Text;
using Upseed.Metainfo;

namespace Upseed.Node.Discovery;

/// <summary>
/// The DHT and LSD keys Upseed announces under. A post's key is its record id (the info-hash of its torrent), so
/// any BitTorrent client finds its seeders. A community's key is derived from its address, the community name
/// (a lowercase ASCII slug): SHA-1 over the fixed domain prefix <c>upseed-community-v1</c>, a zero byte, and the
/// name's bytes. The prefix keeps the key apart from any torrent's info-hash and from other uses of the name.
/// </summary>
public static class SwarmKeys
{
    /// <summary>The domain prefix hashed before a community name (followed by one zero byte).</summary>
    public const string CommunityDomain = "upseed-community-v1";

    /// <summary>SHA-1(<c>upseed-community-v1</c> ‖ 0x00 ‖ UTF-8 name).</summary>
    public static InfoHash Community(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var bytes = new byte[CommunityDomain.Length + 1 + Encoding.UTF8.GetByteCount(name)];
        Encoding.ASCII.GetBytes(CommunityDomain, bytes);
        Encoding.UTF8.GetBytes(name, bytes.AsSpan(CommunityDomain.Length + 1));
        return new InfoHash(SHA1.HashData(bytes));
    }
}
