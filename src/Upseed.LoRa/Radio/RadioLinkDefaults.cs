namespace Upseed.LoRa.Radio;

/// <summary>Meshtastic numbers an <see cref="IRadioLink"/> is built around (PROTOCOLS.md §5).</summary>
public static class RadioLinkDefaults
{
    /// <summary>
    /// Application payload bytes per packet on a private-app port with channel encryption: 255 B LoRa frame − 16 B
    /// header − the encoded <c>Data</c> around the payload (portnum ≥ 256: 3 B; payload tag and length: 3 B; the
    /// <c>bitfield</c> the firmware adds: 2 B) = 231 B. PKI direct messages leave 219 B.
    /// </summary>
    public const int MaxPayloadSize = 231;

    /// <summary>Meshtastic's broadcast address (<c>MeshPacket.to</c> = 0xFFFFFFFF).</summary>
    public const uint Broadcast = 0xFFFFFFFF;

    /// <summary>The first private-app port number (PRIVATE_APP = 256; 256-511 are private).</summary>
    public const int PrivateAppPort = 256;
}
