using System.Globalization;
using System.Text;
using Upseed.Metainfo;

namespace Upseed.Torrent.Lsd;

/// <summary>
/// A BEP 14 local service discovery announce: <c>BT-SEARCH * HTTP/1.1</c> with Host, Port, one or more Infohash
/// headers and an optional cookie. Model and codec only; sending it is <see cref="ILsdTransport"/>'s job.
/// </summary>
/// <param name="Port">The TCP port the announcing peer listens on (1..65535).</param>
/// <param name="InfoHashes">At least one; BEP 14 lets the Infohash header repeat.</param>
/// <param name="Cookie">Lets a sender recognise its own looped-back announces; null when absent.</param>
/// <param name="Host">The multicast group, e.g. <see cref="IPv4Host"/>; empty when a received message had none.</param>
public sealed record LsdMessage(int Port, IReadOnlyList<InfoHash> InfoHashes, string? Cookie, string Host)
{
    /// <summary>BEP 14: "the announce should be kept under 1400 bytes" (fits one Ethernet frame with headroom).</summary>
    public const int MaxDatagramSize = 1400;

    /// <summary>The BEP 14 IPv4 group and port, as written in the Host header.</summary>
    public const string IPv4Host = "239.192.152.143:6771";

    /// <summary>The BEP 14 IPv6 group and port, as written in the Host header.</summary>
    public const string IPv6Host = "[ff15::efc0:988f]:6771";

    private const string RequestLine = "BT-SEARCH * HTTP/1.1";

    /// <summary>"Infohash: " + 40 hex + CRLF.</summary>
    private const int InfohashLineLength = 10 + 40 + 2;

    /// <summary>Encodes the message as ASCII with CRLF line ends, in the BEP 14 form (headers, then two empty lines).</summary>
    /// <exception cref="InvalidOperationException">The port, host or cookie is invalid, there is no info-hash, or the
    /// message exceeds <see cref="MaxDatagramSize"/> (use <see cref="Pack"/>).</exception>
    public byte[] Encode()
    {
        Validate(Port, Cookie, Host);
        if (InfoHashes is null || InfoHashes.Count == 0)
        {
            throw new InvalidOperationException("An LSD announce carries at least one info-hash.");
        }

        var text = new StringBuilder(FixedLength(Port, Cookie, Host) + (InfoHashes.Count * InfohashLineLength));
        text.Append(RequestLine).Append("\r\n");
        text.Append("Host: ").Append(Host).Append("\r\n");
        text.Append("Port: ").Append(Port.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        foreach (var infoHash in InfoHashes)
        {
            text.Append("Infohash: ").Append(infoHash.ToHex()).Append("\r\n");
        }

        if (Cookie is not null)
        {
            text.Append("cookie: ").Append(Cookie).Append("\r\n");
        }

        // BEP 14's template ends with an empty line and one more CRLF, as libtorrent sends it.
        text.Append("\r\n\r\n");
        if (text.Length > MaxDatagramSize)
        {
            throw new InvalidOperationException($"The announce is {text.Length} bytes, over {MaxDatagramSize}; split it with LsdMessage.Pack.");
        }

        return Encoding.ASCII.GetBytes(text.ToString());
    }

    /// <summary>
    /// Splits many info-hashes into as few announces as fit in <paramref name="maxDatagramSize"/> bytes each
    /// (BEP 14: "with more than 5 torrents, rotate or pack several into one announce").
    /// </summary>
    /// <exception cref="ArgumentException">The port, host or cookie is invalid, or not even one info-hash fits.</exception>
    public static IReadOnlyList<LsdMessage> Pack(int port, IEnumerable<InfoHash> infoHashes, string? cookie, string host, int maxDatagramSize = MaxDatagramSize)
    {
        ArgumentNullException.ThrowIfNull(infoHashes);
        try
        {
            Validate(port, cookie, host);
        }
        catch (InvalidOperationException ex)
        {
            throw new ArgumentException(ex.Message, nameof(infoHashes), ex);
        }

        var perMessage = (Math.Min(maxDatagramSize, MaxDatagramSize) - FixedLength(port, cookie, host)) / InfohashLineLength;
        if (perMessage < 1)
        {
            throw new ArgumentException($"Not one info-hash fits in {maxDatagramSize} bytes with this host and cookie.", nameof(maxDatagramSize));
        }

        var messages = new List<LsdMessage>();
        foreach (var chunk in infoHashes.Distinct().Chunk(perMessage))
        {
            messages.Add(new LsdMessage(port, chunk, cookie, host));
        }

        return messages;
    }

    /// <summary>
    /// Parses one datagram. Strict about the request line, the port, the hex and the size; tolerant of header name
    /// case, header order, bare LF line ends, spaces around values and unknown headers. Never throws.
    /// </summary>
    public static LsdParseResult TryParse(ReadOnlySpan<byte> datagram, out LsdMessage? message)
    {
        message = null;
        if (datagram.Length > MaxDatagramSize)
        {
            return LsdParseResult.TooLarge;
        }

        foreach (var b in datagram)
        {
            if (b > 0x7F)
            {
                return LsdParseResult.NotAscii;
            }
        }

        var text = Encoding.ASCII.GetString(datagram);
        var position = 0;
        if (!TryReadLine(text, ref position, out var requestLine)
            || !string.Equals(requestLine.Trim(' ', '\t'), RequestLine, StringComparison.OrdinalIgnoreCase))
        {
            return LsdParseResult.BadRequestLine;
        }

        string? host = null;
        string? cookie = null;
        int? port = null;
        var infoHashes = new List<InfoHash>();
        var terminated = false;
        while (TryReadLine(text, ref position, out var line))
        {
            if (line.Length == 0)
            {
                terminated = true;
                break;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || HasControl(line))
            {
                return LsdParseResult.MalformedHeader;
            }

            var name = line[..colon];
            if (name.Contains(' ', StringComparison.Ordinal) || name.Contains('\t', StringComparison.Ordinal))
            {
                return LsdParseResult.MalformedHeader;
            }

            var value = line[(colon + 1)..].Trim(' ', '\t');
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                if (host is not null)
                {
                    return LsdParseResult.DuplicateHeader;
                }

                host = value;
            }
            else if (name.Equals("Port", StringComparison.OrdinalIgnoreCase))
            {
                if (port is not null)
                {
                    return LsdParseResult.DuplicateHeader;
                }

                if (!TryParsePort(value, out var parsed))
                {
                    return LsdParseResult.InvalidPort;
                }

                port = parsed;
            }
            else if (name.Equals("Infohash", StringComparison.OrdinalIgnoreCase))
            {
                if (value.Length != 40 || !InfoHash.TryParse(value, out var infoHash))
                {
                    return LsdParseResult.InvalidInfohash;
                }

                if (!infoHashes.Contains(infoHash))
                {
                    infoHashes.Add(infoHash);
                }
            }
            else if (name.Equals("cookie", StringComparison.OrdinalIgnoreCase))
            {
                if (cookie is not null)
                {
                    return LsdParseResult.DuplicateHeader;
                }

                cookie = value;
            }

            // Other headers are ignored, as HTTP allows.
        }

        if (!terminated)
        {
            return LsdParseResult.MissingTerminator;
        }

        for (var i = position; i < text.Length; i++)
        {
            if (text[i] is not ('\r' or '\n'))
            {
                return LsdParseResult.TrailingData;
            }
        }

        if (port is null)
        {
            return LsdParseResult.MissingPort;
        }

        if (infoHashes.Count == 0)
        {
            return LsdParseResult.MissingInfohash;
        }

        message = new LsdMessage(port.Value, infoHashes, string.IsNullOrEmpty(cookie) ? null : cookie, host ?? string.Empty);
        return LsdParseResult.Success;
    }

    /// <summary>Reads up to the next LF (dropping one CR before it); false at the end or when no LF follows.</summary>
    private static bool TryReadLine(string text, ref int position, out string line)
    {
        line = string.Empty;
        if (position >= text.Length)
        {
            return false;
        }

        var end = text.IndexOf('\n', position);
        if (end < 0)
        {
            return false;
        }

        var length = end - position;
        if (length > 0 && text[end - 1] == '\r')
        {
            length--;
        }

        line = text.Substring(position, length);
        position = end + 1;
        return true;
    }

    private static bool TryParsePort(string value, out int port)
    {
        port = 0;
        if (value.Length is 0 or > 5)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c is < '0' or > '9')
            {
                return false;
            }

            port = (port * 10) + (c - '0');
        }

        return port is >= 1 and <= 65535;
    }

    private static bool HasControl(string text)
    {
        foreach (var c in text)
        {
            if ((c < 0x20 && c != '\t') || c == 0x7F)
            {
                return true;
            }
        }

        return false;
    }

    private static void Validate(int port, string? cookie, string host)
    {
        if (port is < 1 or > 65535)
        {
            throw new InvalidOperationException($"Port {port} is outside 1..65535.");
        }

        if (host is null || HasControl(host) || !IsAscii(host))
        {
            throw new InvalidOperationException("The host must be printable ASCII.");
        }

        if (cookie is not null && (cookie.Length == 0 || HasControl(cookie) || !IsAscii(cookie) || cookie.Trim(' ', '\t').Length != cookie.Length))
        {
            throw new InvalidOperationException("The cookie must be non-empty printable ASCII without surrounding spaces.");
        }
    }

    private static bool IsAscii(string text) => Ascii.IsValid(text);

    /// <summary>Bytes of everything but the Infohash lines.</summary>
    private static int FixedLength(int port, string? cookie, string host) =>
        RequestLine.Length + 2
        + "Host: ".Length + host.Length + 2
        + "Port: ".Length + port.ToString(CultureInfo.InvariantCulture).Length + 2
        + (cookie is null ? 0 : "cookie: ".Length + cookie.Length + 2)
        + 4;
}
