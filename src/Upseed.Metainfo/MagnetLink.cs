using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Unicode;

namespace Upseed.Metainfo;

/// <summary>
/// A v1 magnet link (BEP 9): <c>magnet:?xt=urn:btih:&lt;info-hash&gt;&amp;dn=&lt;name&gt;&amp;tr=&lt;tracker&gt;&amp;x.pe=&lt;host:port&gt;</c>.
/// This is how a post is shared with people and with other BitTorrent clients: the info-hash alone finds the
/// torrent through the DHT; the name, trackers and peers are hints. Immutable; <see cref="ToString"/> writes the
/// canonical form (lowercase hex, parameters in a fixed order), which libtorrent and Transmission read.
/// </summary>
public sealed class MagnetLink : IEquatable<MagnetLink>
{
    /// <summary>
    /// Longest link accepted or produced: 8 KiB. Links are pasted by people and carried in records; 8 KiB is also the
    /// request-line limit of common HTTP servers, so a longer link would not survive being put in a URL anyway.
    /// </summary>
    public const int MaxLength = 8 * 1024;

    private const string Prefix = "magnet:?";
    private const string BtihUrn = "urn:btih:";
    private const string BtmhUrn = "urn:btmh:";

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly string _text;

    /// <summary>Builds a link. Duplicate trackers and peers are dropped; an empty name counts as no name.</summary>
    /// <param name="infoHash">The torrent's v1 info-hash.</param>
    /// <param name="displayName">The <c>dn</c> hint: what a client shows before it has the metadata.</param>
    /// <param name="trackers">Tracker URLs (<c>tr</c>), in order.</param>
    /// <param name="peers">Peer addresses (<c>x.pe</c>) as <c>host:port</c>, <c>a.b.c.d:port</c> or <c>[ipv6]:port</c>.</param>
    /// <exception cref="ArgumentException">
    /// A tracker is empty, a peer is not host:port, the name is not well-formed UTF-16, or the link would be longer
    /// than <see cref="MaxLength"/>.
    /// </exception>
    public MagnetLink(InfoHash infoHash, string? displayName = null, IEnumerable<string>? trackers = null, IEnumerable<string>? peers = null)
    {
        InfoHash = infoHash;
        DisplayName = string.IsNullOrEmpty(displayName) ? null : displayName;
        if (DisplayName is not null)
        {
            // A lone surrogate has no UTF-8 form, so it could not be written as %XX; the strict encoder throws
            // EncoderFallbackException, an ArgumentException.
            s_strictUtf8.GetByteCount(DisplayName);
        }

        var trackerList = new List<string>();
        foreach (var tracker in trackers ?? [])
        {
            if (string.IsNullOrEmpty(tracker))
            {
                throw new ArgumentException("A tracker URL is empty.", nameof(trackers));
            }

            s_strictUtf8.GetByteCount(tracker);
            if (!trackerList.Contains(tracker, StringComparer.Ordinal))
            {
                trackerList.Add(tracker);
            }
        }

        var peerList = new List<string>();
        foreach (var peer in peers ?? [])
        {
            if (!IsPeerAddress(peer))
            {
                throw new ArgumentException($"'{peer}' is not a peer address (host:port, a.b.c.d:port or [ipv6]:port).", nameof(peers));
            }

            if (!peerList.Contains(peer, StringComparer.Ordinal))
            {
                peerList.Add(peer);
            }
        }

        Trackers = new ReadOnlyCollection<string>(trackerList);
        Peers = new ReadOnlyCollection<string>(peerList);
        _text = Format();
        if (_text.Length > MaxLength)
        {
            throw new ArgumentException($"The magnet link would be {_text.Length} characters, over the {MaxLength} limit.");
        }
    }

    /// <summary>The torrent's v1 info-hash (<c>xt=urn:btih:</c>).</summary>
    public InfoHash InfoHash { get; }

    /// <summary>The <c>dn</c> display name, or null when the link has none.</summary>
    public string? DisplayName { get; }

    /// <summary>Tracker URLs (<c>tr</c>), decoded, in link order, each once.</summary>
    public IReadOnlyList<string> Trackers { get; }

    /// <summary>Peer addresses (<c>x.pe</c>) as <c>host:port</c>, in link order, each once.</summary>
    public IReadOnlyList<string> Peers { get; }

    /// <summary>
    /// Reads a magnet link. Unknown parameters (<c>xl</c>, <c>ws</c>, <c>so</c>, <c>tr.1</c>, ...) are ignored; an
    /// <c>x.pe</c> that is not host:port is dropped, as libtorrent does, because peers are only hints.
    /// </summary>
    /// <param name="text">The link.</param>
    /// <param name="link">The link, when the result is true.</param>
    /// <param name="error">Why the text was refused, when the result is false: a sentence for a person.</param>
    public static bool TryParse(
        [NotNullWhen(true)] string? text,
        [NotNullWhen(true)] out MagnetLink? link,
        [NotNullWhen(false)] out string? error)
    {
        link = null;
        if (text is null)
        {
            error = "there is no text.";
            return false;
        }

        if (text.Length > MaxLength)
        {
            error = $"it is {text.Length} characters long; the limit is {MaxLength}.";
            return false;
        }

        if (!text.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            error = "it does not start with \"magnet:?\".";
            return false;
        }

        InfoHash? infoHash = null;
        var sawV2 = false;
        string? displayName = null;
        var trackers = new List<string>();
        var peers = new List<string>();
        foreach (var parameter in text.AsSpan(Prefix.Length).Split('&'))
        {
            var pair = text.AsSpan(Prefix.Length)[parameter];
            var equals = pair.IndexOf('=');
            if (equals < 0)
            {
                continue; // "&&" or a key without a value: nothing to read, like an unknown parameter.
            }

            var key = pair[..equals];
            var raw = pair[(equals + 1)..];
            if (key is not ("xt" or "dn" or "tr" or "x.pe"))
            {
                continue;
            }

            if (!TryUnescape(raw, out var value, out var problem))
            {
                error = $"the value of '{key}' {problem}.";
                return false;
            }

            switch (key)
            {
                // BEP 9 allows several xt (a hybrid link carries btih and btmh); Upseed reads the v1 one.
                case "xt" when value.StartsWith(BtihUrn, StringComparison.OrdinalIgnoreCase):
                    if (!InfoHash.TryParse(value[BtihUrn.Length..], out var parsed))
                    {
                        error = $"xt '{value}' does not hold an info-hash: after urn:btih: come 40 hex or 32 base32 characters.";
                        return false;
                    }

                    if (infoHash is { } earlier && earlier != parsed)
                    {
                        error = "it names two different v1 info-hashes.";
                        return false;
                    }

                    infoHash = parsed;
                    break;
                case "xt":
                    sawV2 |= value.StartsWith(BtmhUrn, StringComparison.OrdinalIgnoreCase);
                    break;
                case "dn":
                    displayName ??= value.Length > 0 ? value : null;
                    break;
                case "tr":
                    if (value.Length > 0)
                    {
                        trackers.Add(value);
                    }

                    break;
                default: // x.pe
                    if (IsPeerAddress(value))
                    {
                        peers.Add(value);
                    }

                    break;
            }
        }

        if (infoHash is null)
        {
            error = sawV2
                ? "it has only a v2 info-hash (xt=urn:btmh:); Upseed needs a v1 one (xt=urn:btih:)."
                : "it has no xt=urn:btih: parameter, and the info-hash is the one part a magnet link must have (BEP 9).";
            return false;
        }

        // The canonical form of a link under MaxLength can still be longer (base32 becomes hex, unescaped UTF-8
        // becomes %XX); such a link is refused rather than kept in a form this type could not write back.
        if (FormattedLength(displayName, trackers, peers) > MaxLength)
        {
            error = $"written out canonically it would be over {MaxLength} characters.";
            return false;
        }

        link = new MagnetLink(infoHash.Value, displayName, trackers, peers);
        error = null;
        return true;
    }

    /// <summary>Reads a magnet link; see <see cref="TryParse"/> for what is accepted.</summary>
    /// <exception cref="FormatException">The text is not a usable v1 magnet link; the message says why.</exception>
    public static MagnetLink Parse(string text) =>
        TryParse(text, out var link, out var error) ? link : throw new FormatException("Not a usable magnet link: " + error);

    /// <summary>
    /// The canonical link: <c>magnet:?xt=urn:btih:&lt;40 lowercase hex&gt;</c>, then <c>dn</c>, each <c>tr</c>, each
    /// <c>x.pe</c>. Name and trackers are percent-encoded as UTF-8 (RFC 3986 unreserved characters stay);
    /// <c>x.pe</c> is written as is, because libtorrent does not decode it.
    /// </summary>
    public override string ToString() => _text;

    public bool Equals(MagnetLink? other) => other is not null && _text == other._text;

    public override bool Equals(object? obj) => obj is MagnetLink other && Equals(other);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_text);

    private string Format()
    {
        var builder = new StringBuilder(Prefix.Length + BtihUrn.Length + 60);
        builder.Append(Prefix).Append("xt=").Append(BtihUrn).Append(InfoHash.ToHex());
        if (DisplayName is not null)
        {
            builder.Append("&dn=").Append(Uri.EscapeDataString(DisplayName));
        }

        foreach (var tracker in Trackers)
        {
            builder.Append("&tr=").Append(Uri.EscapeDataString(tracker));
        }

        foreach (var peer in Peers)
        {
            builder.Append("&x.pe=").Append(peer);
        }

        return builder.ToString();
    }

    private static int FormattedLength(string? displayName, List<string> trackers, List<string> peers)
    {
        // Prefix + "xt=urn:btih:" + 40 hex, then each parameter; the escaped length is at most 9 per UTF-16 unit.
        var length = Prefix.Length + 3 + BtihUrn.Length + 40;
        if (displayName is not null)
        {
            length += 4 + Uri.EscapeDataString(displayName).Length;
        }

        foreach (var tracker in trackers.Distinct(StringComparer.Ordinal))
        {
            length += 4 + Uri.EscapeDataString(tracker).Length;
        }

        foreach (var peer in peers.Distinct(StringComparer.Ordinal))
        {
            length += 6 + peer.Length;
        }

        return length;
    }

    // Percent-decoding as libtorrent does it: %XX is a byte, '+' is a space (form encoding), anything else is
    // itself; the bytes must then be UTF-8. Strict: a '%' without two hex digits after it refuses the value.
    private static bool TryUnescape(ReadOnlySpan<char> raw, [NotNullWhen(true)] out string? value, [NotNullWhen(false)] out string? problem)
    {
        value = null;
        problem = "has a malformed %-escape";
        var bytes = new List<byte>(raw.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < raw.Length; i++)
        {
            var ch = raw[i];
            if (ch == '%')
            {
                if (i + 2 >= raw.Length ||
                    !byte.TryParse(raw.Slice(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
                {
                    return false;
                }

                bytes.Add(b);
                i += 2;
            }
            else if (ch == '+')
            {
                bytes.Add((byte)' ');
            }
            else if (char.IsAscii(ch))
            {
                bytes.Add((byte)ch);
            }
            else
            {
                // A pasted IRI can carry raw non-ASCII; take it as the UTF-8 it stands for.
                if (Rune.DecodeFromUtf16(raw[i..], out var rune, out var consumed) != System.Buffers.OperationStatus.Done)
                {
                    problem = "holds a lone UTF-16 surrogate";
                    return false;
                }

                var written = rune.EncodeToUtf8(utf8);
                bytes.AddRange(utf8[..written]);
                i += consumed - 1;
            }
        }

        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes);
        if (!Utf8.IsValid(span))
        {
            problem = "is not UTF-8 once %-decoded";
            return false;
        }

        value = Encoding.UTF8.GetString(span);
        problem = null;
        return true;
    }

    // host:port, a.b.c.d:port or [ipv6]:port with a port from 1 to 65535. Hostnames are letters, digits, '.', '-'.
    private static bool IsPeerAddress(string? address)
    {
        if (string.IsNullOrEmpty(address))
        {
            return false;
        }

        var colon = address.LastIndexOf(':');
        if (colon <= 0 ||
            !ushort.TryParse(address.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) ||
            port == 0)
        {
            return false;
        }

        var host = address.AsSpan(0, colon);
        if (host[0] == '[')
        {
            return host.Length > 2 && host[^1] == ']' &&
                IPAddress.TryParse(host[1..^1], out var ip) && ip.AddressFamily == AddressFamily.InterNetworkV6;
        }

        foreach (var ch in host)
        {
            if (!(char.IsAsciiLetterOrDigit(ch) || ch is '.' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
