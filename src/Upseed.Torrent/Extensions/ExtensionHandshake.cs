using System.Diagnostics.CodeAnalysis;
using System.Text;
using Upseed.Bencode;

namespace Upseed.Torrent.Extensions;

/// <summary>
/// The BEP 10 extension handshake: the bencoded dictionary in the extended message with id 0, sent right after the
/// BitTorrent handshake to peers that set the extension bit. Every key is optional and unknown keys are ignored
/// (BEP 10). Decoding follows libtorrent: a value of the wrong type or out of range is ignored as if absent, while
/// bytes that are not bencode are an error. <see cref="Encode"/> refuses what decoding would ignore, so our own
/// handshakes round-trip exactly.
/// </summary>
public sealed record ExtensionHandshake
{
    private static readonly IReadOnlyDictionary<string, byte> s_noMessages = new Dictionary<string, byte>();

    /// <summary>
    /// The <c>m</c> dictionary: extension name (e.g. <c>ut_metadata</c>) to the extended message id the sender wants to
    /// <em>receive</em> that extension on; 0 disables it (BEP 10). A re-sent handshake's <c>m</c> is additive. Names that
    /// are not valid UTF-8 and ids outside 0–255 are dropped when decoding. Defaults to empty.
    /// </summary>
    public IReadOnlyDictionary<string, byte> Messages { get; init; } = s_noMessages;

    /// <summary><c>p</c>: the sender's TCP listen port (1–65535), so the receiver can connect back later.</summary>
    public int? ListenPort { get; init; }

    /// <summary><c>v</c>: client name and version as UTF-8 (BEP 10), more reliable than decoding the peer id.</summary>
    public string? ClientVersion { get; init; }

    /// <summary>
    /// <c>yourip</c>: the receiver's address as the sender sees it, 4 (IPv4) or 16 (IPv6) bytes (BEP 10). An empty
    /// value is not encoded.
    /// </summary>
    public ReadOnlyMemory<byte>? YourIp { get; init; }

    /// <summary><c>reqq</c>: how many outstanding requests the sender queues without dropping (libtorrent: 250).</summary>
    public int? RequestQueue { get; init; }

    /// <summary><c>metadata_size</c>: the info dictionary's size in bytes (BEP 9), sent by peers that have it.</summary>
    public int? MetadataSize { get; init; }

    /// <summary>The canonical bencoding (sorted keys), the payload of an extended message with id 0.</summary>
    /// <exception cref="InvalidOperationException">A value <see cref="TryDecode"/> would ignore (a port of 0, a 5-byte yourip).</exception>
    public byte[] Encode()
    {
        var dictionary = new BDictionary();
        var m = new BDictionary();
        foreach (var (name, id) in Messages)
        {
            m.Set(name, id);
        }

        dictionary.Set("m", m);
        if (ListenPort is { } port)
        {
            Require(port is >= 1 and <= ushort.MaxValue, "p must be a TCP port (1-65535)");
            dictionary.Set("p", port);
        }

        if (ClientVersion is { } version)
        {
            dictionary.Set("v", version);
        }

        if (YourIp is { IsEmpty: false } yourIp)
        {
            Require(yourIp.Length is 4 or 16, "yourip must be 4 or 16 bytes");
            dictionary.Set("yourip", yourIp);
        }

        if (RequestQueue is { } reqq)
        {
            Require(reqq >= 1, "reqq must be positive");
            dictionary.Set("reqq", reqq);
        }

        if (MetadataSize is { } size)
        {
            Require(size >= 1, "metadata_size must be positive");
            dictionary.Set("metadata_size", size);
        }

        return dictionary.Encode();
    }

    /// <summary>Decodes the payload of an extended message with id 0.</summary>
    /// <returns>
    /// <see langword="false"/> with a reason when the payload is not one bencoded dictionary within the limits (64 KiB,
    /// depth 4, 1,000 values, no duplicate keys); values of the wrong type are ignored instead.
    /// </returns>
    public static bool TryDecode(
        ReadOnlyMemory<byte> payload,
        [NotNullWhen(true)] out ExtensionHandshake? handshake,
        [NotNullWhen(false)] out string? error)
    {
        handshake = null;
        if (!ExtensionBencode.TryDecodeDictionary(payload, wholePayload: true, out var dictionary, out _, out error))
        {
            return false;
        }

        var messages = new Dictionary<string, byte>();
        if (dictionary.TryGetValue("m"u8, out var m) && m is BDictionary names)
        {
            foreach (var (name, id) in names.Entries)
            {
                if (id is BInteger { Value: >= 0 and <= byte.MaxValue } number && ExtensionBencode.TryGetUtf8(name, out var text))
                {
                    messages[text] = (byte)number.Value;
                }
            }
        }

        handshake = new ExtensionHandshake
        {
            Messages = messages,
            ListenPort = ExtensionBencode.TryGetInt32(dictionary, "p"u8, 1, ushort.MaxValue, out var port) ? port : null,
            ClientVersion = ExtensionBencode.TryGetBytes(dictionary, "v"u8, out var v) && ExtensionBencode.TryGetUtf8(v.Span, out var version)
                ? version
                : null,
            YourIp = ExtensionBencode.TryGetBytes(dictionary, "yourip"u8, out var ip) && ip.Length is 4 or 16
                ? (ReadOnlyMemory<byte>?)ip.ToArray()
                : null,
            RequestQueue = ExtensionBencode.TryGetInt32(dictionary, "reqq"u8, 1, int.MaxValue, out var reqq) ? reqq : null,
            MetadataSize = ExtensionBencode.TryGetInt32(dictionary, "metadata_size"u8, 1, int.MaxValue, out var size) ? size : null,
        };
        return true;
    }

    /// <summary>Two handshakes are equal when they carry the same entries (dictionary contents, address bytes).</summary>
    public bool Equals(ExtensionHandshake? other) =>
        other is not null
        && ListenPort == other.ListenPort
        && ClientVersion == other.ClientVersion
        && RequestQueue == other.RequestQueue
        && MetadataSize == other.MetadataSize
        && YourIp.HasValue == other.YourIp.HasValue
        && (YourIp ?? default).Span.SequenceEqual((other.YourIp ?? default).Span)
        && Messages.Count == other.Messages.Count
        && Messages.All(entry => other.Messages.TryGetValue(entry.Key, out var id) && id == entry.Value);

    public override int GetHashCode() => HashCode.Combine(Messages.Count, ListenPort, ClientVersion, RequestQueue, MetadataSize);

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Messages = { ").AppendJoin(", ", Messages.Select(entry => $"{entry.Key} = {entry.Value}")).Append(" }");
        builder.Append(", ListenPort = ").Append(ListenPort);
        builder.Append(", ClientVersion = ").Append(ClientVersion);
        builder.Append(", YourIp = ").Append(YourIp is { } ip ? Convert.ToHexStringLower(ip.Span) : null);
        builder.Append(", RequestQueue = ").Append(RequestQueue);
        builder.Append(", MetadataSize = ").Append(MetadataSize);
        return true;
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException(message);
        }
    }
}
