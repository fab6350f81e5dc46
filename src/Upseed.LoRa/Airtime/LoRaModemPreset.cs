namespace Upseed.LoRa.Airtime;

/// <summary>
/// A Meshtastic modem preset: spreading factor, bandwidth, coding rate (PROTOCOLS.md §4.1, from the firmware's
/// <c>modemPresetToParams</c>), with Meshtastic's radio settings: a 16-symbol preamble, explicit header, CRC on, low
/// data rate optimisation when a symbol lasts more than 16 ms.
/// </summary>
public sealed record LoRaModemPreset(string Name, int SpreadingFactor, int BandwidthHz, int CodingRateDenominator)
{
    /// <summary>Meshtastic's preamble (RadioInterface.h; 12 for wide LoRa, not modelled).</summary>
    public int PreambleSymbols { get; init; } = 16;

    /// <summary>Meshtastic's default: SF11, 250 kHz, 4/5; about 1 kbps.</summary>
    public static LoRaModemPreset LongFast { get; } = new("LongFast", 11, 250_000, 5);

    public static LoRaModemPreset LongModerate { get; } = new("LongModerate", 11, 125_000, 8);

    /// <summary>Deprecated in the protobufs but still in the firmware's preset lists.</summary>
    public static LoRaModemPreset LongSlow { get; } = new("LongSlow", 12, 125_000, 8);

    public static LoRaModemPreset MediumSlow { get; } = new("MediumSlow", 10, 250_000, 5);

    public static LoRaModemPreset MediumFast { get; } = new("MediumFast", 9, 250_000, 5);

    public static LoRaModemPreset ShortSlow { get; } = new("ShortSlow", 8, 250_000, 5);

    public static LoRaModemPreset ShortFast { get; } = new("ShortFast", 7, 250_000, 5);

    public static LoRaModemPreset ShortTurbo { get; } = new("ShortTurbo", 7, 500_000, 5);

    public static IReadOnlyList<LoRaModemPreset> All { get; } =
        [LongFast, LongModerate, LongSlow, MediumSlow, MediumFast, ShortSlow, ShortFast, ShortTurbo];

    /// <summary>Duration of one symbol: 2^SF / BW.</summary>
    public TimeSpan SymbolTime => TimeSpan.FromTicks((long)Math.Round((1L << SpreadingFactor) * (double)TimeSpan.TicksPerSecond / BandwidthHz));

    /// <summary>Low data rate optimisation: required when a symbol lasts more than 16 ms (AN1200.13).</summary>
    public bool LowDataRateOptimize => (1L << SpreadingFactor) * 1000.0 / BandwidthHz > 16.0;

    /// <summary>Time on air of a LoRa frame of <paramref name="phyPayloadBytes"/> bytes (Meshtastic header included).</summary>
    public TimeSpan TimeOnAir(int phyPayloadBytes) => TimeSpan.FromTicks((long)Math.Round(
        LoRaTimeOnAir.Milliseconds(SpreadingFactor, BandwidthHz, CodingRateDenominator - 4, PreambleSymbols, phyPayloadBytes,
            explicitHeader: true, crc: true, LowDataRateOptimize) * TimeSpan.TicksPerMillisecond));

    /// <summary>Finds a preset by name, ignoring case and separators ("LONG_FAST", "longfast", "LongFast").</summary>
    public static bool TryParse(string? name, out LoRaModemPreset preset)
    {
        var wanted = (name ?? string.Empty).Replace("_", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
        preset = All.FirstOrDefault(p => string.Equals(p.Name, wanted, StringComparison.OrdinalIgnoreCase))!;
        return preset is not null;
    }
}
