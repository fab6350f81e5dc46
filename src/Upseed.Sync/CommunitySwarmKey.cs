using System.Security.Cryptography;
using System.Text;
using Upseed.Metainfo;

namespace Upseed.Sync;

/// <summary>
/// The swarm key of a community: SHA-1 over the ASCII prefix <c>upseed-community-v1</c>, a zero byte, and the
/// community's name in UTF-8. It stands where a torrent's info-hash would: in the BitTorrent handshake of a sync
/// connection, in DHT announces (BEP 5) and in local service discovery (BEP 14), so nodes that carry a community find
/// each other. The prefix keeps it apart from any real torrent's info-hash.
/// </summary>
public static class CommunitySwarmKey
{
    /// <summary>The bytes hashed before the name.</summary>
    public static ReadOnlySpan<byte> Prefix => "upseed-community-v1\0"u8;

    public static InfoHash For(string community)
    {
        ArgumentException.ThrowIfNullOrEmpty(community);
        var name = Encoding.UTF8.GetBytes(community);
        var input = new byte[Prefix.Length + name.Length];
        Prefix.CopyTo(input);
        name.CopyTo(input.AsSpan(Prefix.Length));
        return new InfoHash(SHA1.HashData(input));
    }
}
