using Upseed.LoRa.Airtime;
using Upseed.LoRa.Radio;

namespace Upseed.LoRa.Simulation;

/// <summary>The radio parameters a simulation models. Tests state them (STYLE.md rule 13). Every default is written down.</summary>
public sealed record SimulatedMediumOptions
{
    /// <summary>Modem preset for every radio's airtime. Defaults to LongFast.</summary>
    public LoRaModemPreset Preset { get; init; } = LoRaModemPreset.LongFast;

    /// <summary>
    /// The band whose duty cycle each radio's firmware enforces (it refuses packets past it, as Meshtastic does).
    /// Defaults to EU_868 (10%).
    /// </summary>
    public LoRaRegion Region { get; init; } = LoRaRegion.Eu868;

    /// <summary>Seed of the medium's randomness (loss, back-off). Defaults to 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// Listen before talk: a radio that hears the channel busy waits for it to clear plus a random back-off, as
    /// Meshtastic's firmware does with channel activity detection. Defaults to true.
    /// </summary>
    public bool CarrierSense { get; init; } = true;

    /// <summary>Back-off slot after a busy channel; the wait is 1 to 8 slots. Defaults to 100 ms.</summary>
    public TimeSpan BackoffSlot { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Largest payload per packet. Defaults to 231 (Meshtastic, private-app port).</summary>
    public int MaxPayloadSize { get; init; } = RadioLinkDefaults.MaxPayloadSize;
}
