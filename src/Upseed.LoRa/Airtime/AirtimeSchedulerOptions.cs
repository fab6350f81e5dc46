namespace Upseed.LoRa.Airtime;

/// <summary>What the scheduler budgets against. Every default is written down.</summary>
public sealed record AirtimeSchedulerOptions
{
    /// <summary>The radio's modem preset, for time on air. Defaults to <see cref="LoRaModemPreset.LongFast"/>.</summary>
    public LoRaModemPreset Preset { get; init; } = LoRaModemPreset.LongFast;

    /// <summary>The band and its limits. Defaults to <see cref="LoRaRegion.Eu868"/> (10%).</summary>
    public LoRaRegion Region { get; init; } = LoRaRegion.Eu868;

    /// <summary>
    /// Share of the region's allowance this box lets itself use. Defaults to 0.9: the radio firmware refuses packets
    /// past the legal limit, and other apps on the same radio (position, telemetry) need some too.
    /// </summary>
    public double UsableShare { get; init; } = 0.9;

    /// <summary>
    /// Share of the usable allowance that <see cref="TransmitPriority.Background"/> frames may fill. Defaults to 0.5,
    /// the "polite" share Meshtastic keeps for its own metadata.
    /// </summary>
    public double BackgroundShare { get; init; } = 0.5;

    /// <summary>Frames waiting at most; when full, a frame only gets in by pushing out a less urgent one. Defaults to 256.</summary>
    public int MaxQueuedFrames { get; init; } = 256;

    /// <summary>Hourly history kept for the admin's chart. Defaults to 24 hours.</summary>
    public int HistoryHours { get; init; } = 24;
}
