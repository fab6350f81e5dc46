namespace Upseed.LoRa.Radio;

/// <summary>
/// A payload to send: to one node or to <see cref="RadioLinkDefaults.Broadcast"/>. <see cref="HopLimit"/> is the
/// radio firmware's own relaying (Meshtastic <c>hop_limit</c>, default 3, max 7); null leaves the link's default.
/// Upseed relays records itself (<c>MeshRelay</c>), so 0 is usual: only boxes relay, and each once.
/// </summary>
public readonly record struct RadioPacket(uint Destination, ReadOnlyMemory<byte> Payload, int? HopLimit = null);
