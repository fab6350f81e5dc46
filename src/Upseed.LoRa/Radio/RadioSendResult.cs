namespace Upseed.LoRa.Radio;

/// <summary>A send's outcome and, when the link knows it, how long the packet occupied the channel.</summary>
public readonly record struct RadioSendResult(RadioSendStatus Status, TimeSpan? Airtime = null)
{
    public bool IsSent => Status == RadioSendStatus.Sent;
}
