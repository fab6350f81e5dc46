namespace Upseed.Meshtastic.Framing;

/// <summary>
/// Why bytes on a Meshtastic serial or TCP stream were not a frame. On a serial line these are normal: the radio prints
/// its debug log as plain text between frames, and a frame can be cut by a reset, so none of them is an exception.
/// </summary>
public enum StreamFrameError
{
    None,

    /// <summary>Bytes outside any frame: the radio's debug log text, or line noise. They are skipped.</summary>
    Noise,

    /// <summary>
    /// 0x94 0xC3 followed by a length above the limit (512, <c>MAX_TO_FROM_RADIO_SIZE</c>): not a real frame start.
    /// The 0x94 is skipped and the search for a frame start goes on from the next byte, as the firmware's reader does.
    /// </summary>
    LengthTooLarge,

    /// <summary>A complete frame whose payload is not the protobuf message it should be.</summary>
    MalformedMessage,
}
