namespace Upseed.LoRa.Airtime;

/// <summary>
/// A regulatory band the radio transmits in and its limits (PROTOCOLS.md §4.2-4.3). The budget is kept per band: a
/// Meshtastic radio uses one frequency, so one band's duty cycle applies to all it sends.
/// </summary>
/// <param name="Name">Region name as the admin sees it.</param>
/// <param name="LowMHz">Lower edge of the sub-band.</param>
/// <param name="HighMHz">Upper edge of the sub-band.</param>
/// <param name="DutyCycle">Fraction of any rolling <see cref="Window"/> spent transmitting (0.1 = 10%); 1 = no limit.</param>
/// <param name="MaxDwell">Longest single transmission allowed, when the rules cap it.</param>
public sealed record LoRaRegion(string Name, double LowMHz, double HighMHz, double DutyCycle, TimeSpan? MaxDwell = null)
{
    /// <summary>The duty-cycle window: a rolling hour (ERC/REC 70-03).</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Airtime allowed per <see cref="Window"/>.</summary>
    public TimeSpan Allowance => DutyCycle >= 1 ? Window : Window * DutyCycle;

    /// <summary>Meshtastic <c>EU_868</c>: sub-band g3, 869.4-869.65 MHz, 10%, 27 dBm.</summary>
    public static LoRaRegion Eu868 { get; } = new("EU_868", 869.4, 869.65, 0.10);

    /// <summary>EU868 sub-band g1, 868.0-868.6 MHz, 1% (the LoRaWAN default channels).</summary>
    public static LoRaRegion Eu868G1 { get; } = new("EU_868 g1", 868.0, 868.6, 0.01);

    /// <summary>EU868 sub-band g2, 868.7-869.2 MHz, 0.1%.</summary>
    public static LoRaRegion Eu868G2 { get; } = new("EU_868 g2", 868.7, 869.2, 0.001);

    /// <summary>EU868 sub-band g4, 869.7-870.0 MHz, 1%.</summary>
    public static LoRaRegion Eu868G4 { get; } = new("EU_868 g4", 869.7, 870.0, 0.01);

    /// <summary>Meshtastic <c>EU_866</c>: 865.6-867.6 MHz, 2.5% for mobile nodes (10% for fixed routers).</summary>
    public static LoRaRegion Eu866 { get; } = new("EU_866", 865.6, 867.6, 0.025);

    /// <summary>
    /// US 902-928 MHz with FCC §15.247's frequency-hopping limit of 0.4 s per transmission. Only short presets fit it
    /// (one LongFast packet lasts 0.5-2.2 s). Meshtastic's own <c>US</c> region applies no limit: see
    /// <see cref="Us915Meshtastic"/>, and get a regulatory review rather than assume compliance.
    /// </summary>
    public static LoRaRegion Us915 { get; } = new("US", 902.0, 928.0, 1.0, TimeSpan.FromMilliseconds(400));

    /// <summary>Meshtastic's <c>US</c> region as the firmware applies it: no duty cycle, no dwell limit.</summary>
    public static LoRaRegion Us915Meshtastic { get; } = new("US (Meshtastic)", 902.0, 928.0, 1.0);

    public static IReadOnlyList<LoRaRegion> All { get; } = [Eu868, Eu868G1, Eu868G2, Eu868G4, Eu866, Us915, Us915Meshtastic];
}
