namespace Upseed.LoRa.Frames;

/// <summary>Why a payload is not a frame. Returned, never thrown: a radio hears noise and other apps' packets.</summary>
public enum MeshFrameError
{
    None = 0,
    /// <summary>Shorter than the frame type's header.</summary>
    TooShort,
    /// <summary>Longer than any frame this format sends.</summary>
    TooLong,
    /// <summary>The type nibble is not a known frame type.</summary>
    UnknownType,
    /// <summary>Fragment index not below the count, a reserved bit set, or an entry list of the wrong length.</summary>
    Malformed,
}
