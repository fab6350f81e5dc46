namespace Upseed.LoRa.Simulation;

/// <summary>One direction of a radio link in the range graph: the chance a packet is lost, and how it is heard.</summary>
public sealed record SimulatedLink(double Loss, float Snr = 5f, int Rssi = -100);
