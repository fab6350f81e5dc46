namespace Upseed.LoRa.Radio;

/// <summary>
/// A payload a radio received, with who sent it and how it was heard. <see cref="Snr"/> (dB) and <see cref="Rssi"/>
/// (dBm) are null when the link does not report them.
/// </summary>
public sealed record ReceivedRadioPacket(uint From, uint To, ReadOnlyMemory<byte> Payload, DateTimeOffset ReceivedAt, float? Snr = null, int? Rssi = null);
