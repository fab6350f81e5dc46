using Upseed.LoRa.Radio;

namespace Upseed.LoRa.Airtime;

/// <summary>
/// Bytes on air for an application payload sent through Meshtastic (PROTOCOLS.md §5): the 16-byte radio header, then
/// the encoded <c>Data</c> message: portnum (tag + varint), payload (tag + length varint + bytes), and the
/// <c>bitfield</c> (tag + 1 byte) the firmware adds to packets it originates. A private port (≥ 256) costs 3 bytes,
/// TEXT_MESSAGE_APP (1) costs 2.
/// </summary>
public static class MeshtasticPacketSize
{
    /// <summary>The radio header: to, from, id (4 B each); flags, channel hash, next_hop, relay_node (1 B each).</summary>
    public const int HeaderSize = 16;

    /// <summary>The largest LoRa frame (MAX_LORA_PAYLOAD_LEN).</summary>
    public const int MaxLoRaFrame = 255;

    /// <summary>Meshtastic's text messages port (TEXT_MESSAGE_APP = 1).</summary>
    public const int TextMessagePort = 1;

    /// <summary>PHY payload length (PL in the time-on-air formula) for <paramref name="payloadBytes"/> of app data.</summary>
    public static int PhyPayloadLength(int payloadBytes, int portNumber = RadioLinkDefaults.PrivateAppPort, bool withBitfield = true)
    {
        var port = 1 + VarintLength((uint)portNumber);
        var payload = 1 + VarintLength((uint)payloadBytes) + payloadBytes;
        return HeaderSize + port + payload + (withBitfield ? 2 : 0);
    }

    private static int VarintLength(uint value) => value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x200000 ? 3 : 4;
}
