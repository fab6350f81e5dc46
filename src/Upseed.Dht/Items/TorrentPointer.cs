using Upseed.Bencode;

namespace Upseed.Dht.Items;

/// <summary>
/// BEP 46 "updating torrents via DHT mutable items": the value of a mutable item is a dictionary
/// <c>{"ih": &lt;20-byte info-hash&gt;}</c> naming the current torrent (Upseed: an author's feed head).
/// </summary>
public static class TorrentPointer
{
    /// <summary>Length of an info-hash (SHA-1).</summary>
    public const int InfoHashSize = 20;

    /// <summary>The bencoded value <c>d2:ih20:&lt;info-hash&gt;e</c>.</summary>
    /// <exception cref="ArgumentException">The info-hash is not 20 bytes.</exception>
    public static byte[] Encode(ReadOnlySpan<byte> infoHash)
    {
        if (infoHash.Length != InfoHashSize)
        {
            throw new ArgumentException("An info-hash is 20 bytes.", nameof(infoHash));
        }

        return new BDictionary().Set("ih", infoHash.ToArray()).Encode();
    }

    /// <summary>The bencoded value pointing at <paramref name="infoHash"/>.</summary>
    public static byte[] Encode(NodeId infoHash) => Encode(infoHash.ToArray());

    /// <summary>
    /// Reads the info-hash from a BEP 46 value: a canonical dictionary whose <c>ih</c> is a 20-byte string. Other keys
    /// are allowed and ignored (BEP 46 lets a publisher add fields). False for anything else.
    /// </summary>
    public static bool TryDecode(ReadOnlyMemory<byte> bencodedValue, out NodeId infoHash)
    {
        infoHash = default;
        if (!DhtValue.TryDecode(bencodedValue, out var value)
            || value is not BDictionary dictionary
            || !dictionary.TryGetValue("ih", out var ih)
            || ih is not BString { Value.Length: InfoHashSize } hash)
        {
            return false;
        }

        infoHash = new NodeId(hash.Span);
        return true;
    }
}
