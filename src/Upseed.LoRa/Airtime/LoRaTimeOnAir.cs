namespace Upseed.LoRa.Airtime;

/// <summary>
/// Semtech's LoRa time-on-air formula (AN1200.13; LoRaMac-node <c>RadioGetLoRaTimeOnAirNumerator</c>; PROTOCOLS.md §4.1):
/// <code>
/// T_sym      = 2^SF / BW
/// T_preamble = (n_preamble + 4.25) · T_sym
/// n_payload  = 8 + max(ceil((8·PL − 4·SF + 28 + 16·CRC − 20·IH) / (4·(SF − 2·DE))) · (CR + 4), 0)
/// ToA        = T_preamble + n_payload · T_sym
/// </code>
/// SF5/6's different constants (SX126x) are not modelled: no Meshtastic preset uses them.
/// </summary>
public static class LoRaTimeOnAir
{
    /// <param name="spreadingFactor">7 to 12.</param>
    /// <param name="bandwidthHz">Bandwidth in Hz (125000, 250000, 500000).</param>
    /// <param name="codingRate">1 to 4 for 4/5 to 4/8.</param>
    /// <param name="preambleSymbols">Programmed preamble length.</param>
    /// <param name="payloadBytes">PHY payload length (PL).</param>
    /// <param name="explicitHeader">True for an explicit header (IH = 0).</param>
    /// <param name="crc">True when the payload CRC is on.</param>
    /// <param name="lowDataRateOptimize">DE: on when a symbol lasts more than 16 ms.</param>
    public static double Milliseconds(int spreadingFactor, int bandwidthHz, int codingRate, int preambleSymbols, int payloadBytes, bool explicitHeader, bool crc, bool lowDataRateOptimize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(spreadingFactor, 7);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(spreadingFactor, 12);
        ArgumentOutOfRangeException.ThrowIfLessThan(codingRate, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(codingRate, 4);
        ArgumentOutOfRangeException.ThrowIfNegative(payloadBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bandwidthHz);
        var symbolMs = (1 << spreadingFactor) * 1000.0 / bandwidthHz;
        var preambleMs = (preambleSymbols + 4.25) * symbolMs;
        var de = lowDataRateOptimize ? 1 : 0;
        var numerator = (8 * payloadBytes) - (4 * spreadingFactor) + 28 + (crc ? 16 : 0) - (explicitHeader ? 0 : 20);
        var denominator = 4 * (spreadingFactor - (2 * de));
        var blocks = Math.Max((int)Math.Ceiling(numerator / (double)denominator), 0);
        var payloadSymbols = 8 + (blocks * (codingRate + 4));
        return preambleMs + (payloadSymbols * symbolMs);
    }
}
