namespace Upseed.Torrent.Extensions;

/// <summary>The <c>msg_type</c> of a ut_metadata message (BEP 9).</summary>
public enum MetadataMessageType
{
    /// <summary>Asks for one 16 KiB piece of the info dictionary.</summary>
    Request = 0,

    /// <summary>Carries the piece; the raw bytes follow the dictionary.</summary>
    Data = 1,

    /// <summary>The sender will not serve the piece (it lacks the metadata, or rate-limits requests).</summary>
    Reject = 2,
}
