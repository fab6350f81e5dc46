namespace Upseed.Torrent.Lsd;

/// <summary>
/// Why <see cref="LsdMessage.TryParse"/> accepted or refused a datagram. LSD runs on a shared LAN multicast group where
/// anyone may send anything, so a bad datagram is normal input and is reported, not thrown (STYLE.md rule 4).
/// </summary>
public enum LsdParseResult
{
    Success = 0,

    /// <summary>Longer than <see cref="LsdMessage.MaxDatagramSize"/> (BEP 14: keep announces ≤ 1400 bytes).</summary>
    TooLarge,

    /// <summary>A byte above 0x7F: the message is ASCII text.</summary>
    NotAscii,

    /// <summary>The first line is not <c>BT-SEARCH * HTTP/1.1</c>.</summary>
    BadRequestLine,

    /// <summary>A header line without a name and colon, or with control characters.</summary>
    MalformedHeader,

    /// <summary>Host, Port or cookie appears twice (only Infohash may repeat, BEP 14).</summary>
    DuplicateHeader,

    /// <summary>No empty line ends the headers.</summary>
    MissingTerminator,

    /// <summary>Something other than line breaks follows the empty line that ends the headers.</summary>
    TrailingData,

    MissingPort,

    /// <summary>Port is not a decimal number in 1..65535.</summary>
    InvalidPort,

    MissingInfohash,

    /// <summary>An Infohash value is not 40 hex characters.</summary>
    InvalidInfohash,
}
