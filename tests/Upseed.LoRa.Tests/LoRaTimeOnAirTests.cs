using Upseed.LoRa.Airtime;

namespace Upseed.LoRa.Tests;

public class LoRaTimeOnAirTests
{
    // Semtech AN1200.13's worked example (SF9, 125 kHz, CR 4/5, 13-byte payload, 8-symbol preamble, explicit header,
    // CRC on): 164.864 ms (PROTOCOLS.md §4.1, checked against the AN1200.13 calculator sheet).
    [Fact]
    public void Milliseconds_SemtechExample()
    {
        Assert.Equal(164.864, LoRaTimeOnAir.Milliseconds(9, 125_000, 1, 8, 13, explicitHeader: true, crc: true, lowDataRateOptimize: false), 3);
    }

    // PROTOCOLS.md §4.1 table: Meshtastic settings (preamble 16, explicit header, CRC on, LDRO when T_sym > 16 ms).
    [Theory]
    [InlineData("LongFast", 100, 1009.7)]
    [InlineData("LongFast", 123, 1173.5)]
    [InlineData("LongFast", 189, 1665.0)]
    [InlineData("LongFast", 237, 2033.7)]
    [InlineData("LongFast", 255, 2156.5)]
    [InlineData("LongModerate", 100, 3477.5)]
    [InlineData("LongModerate", 237, 7409.7)]
    [InlineData("LongModerate", 255, 7934.0)]
    [InlineData("LongSlow", 100, 6168.6)]
    [InlineData("LongSlow", 237, 13508.6)]
    [InlineData("LongSlow", 255, 14295.0)]
    [InlineData("MediumSlow", 100, 545.8)]
    [InlineData("MediumSlow", 255, 1180.7)]
    [InlineData("ShortFast", 100, 91.3)]
    [InlineData("ShortFast", 237, 191.1)]
    [InlineData("ShortFast", 255, 203.9)]
    public void TimeOnAir_MeshtasticPresets_MatchTheTable(string preset, int phyPayload, double expectedMs)
    {
        Assert.True(LoRaModemPreset.TryParse(preset, out var modem));

        Assert.Equal(expectedMs, modem.TimeOnAir(phyPayload).TotalMilliseconds, 0.1);
    }

    [Fact]
    public void LongFastPreamble_IsTheFirmwaresPreambleTime()
    {
        // (16 + 4.25) × 8.192 ms = 165.9 ms; the firmware's default preambleTimeMsec is 165 (RadioInterface.h).
        var preset = LoRaModemPreset.LongFast;
        Assert.Equal(165.9, (preset.PreambleSymbols + 4.25) * preset.SymbolTime.TotalMilliseconds, 1);
    }

    [Theory]
    [InlineData("LongFast", false)] // 8.192 ms symbols
    [InlineData("LongModerate", true)] // 16.384 ms
    [InlineData("LongSlow", true)] // 32.768 ms
    [InlineData("ShortTurbo", false)]
    public void LowDataRateOptimize_OnlyAboveSixteenMillisecondSymbols(string preset, bool expected)
    {
        Assert.True(LoRaModemPreset.TryParse(preset, out var modem));
        Assert.Equal(expected, modem.LowDataRateOptimize);
    }

    [Fact]
    public void PhyPayloadLength_MeshtasticOverheads()
    {
        // PROTOCOLS.md §5: the largest private-port payload is 231 B (PL 255); N = 100 gives PL 123.
        Assert.Equal(255, MeshtasticPacketSize.PhyPayloadLength(231));
        Assert.Equal(123, MeshtasticPacketSize.PhyPayloadLength(100));
        // A text message: port 1 costs a byte less.
        Assert.Equal(122, MeshtasticPacketSize.PhyPayloadLength(100, MeshtasticPacketSize.TextMessagePort));
    }

    [Fact]
    public void TryParse_FirmwareNames()
    {
        Assert.True(LoRaModemPreset.TryParse("LONG_FAST", out var preset));
        Assert.Same(LoRaModemPreset.LongFast, preset);
        Assert.False(LoRaModemPreset.TryParse("VERY_LONG", out _));
        Assert.Equal(8, LoRaModemPreset.All.Count);
    }
}
