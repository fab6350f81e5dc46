namespace Upseed.LoRa.Radio;

/// <summary>What became of a send. Returned, not thrown: a refused packet is normal on a shared, budgeted channel.</summary>
public enum RadioSendStatus
{
    /// <summary>On air (or handed to the radio, which queued it).</summary>
    Sent,
    /// <summary>The payload is longer than <see cref="IRadioLink.MaxPayloadSize"/>.</summary>
    TooLarge,
    /// <summary>The radio refused: its duty-cycle allowance is spent (Meshtastic Routing_Error_DUTY_CYCLE_LIMIT).</summary>
    DutyCycleLimited,
    /// <summary>No radio is connected right now.</summary>
    NotConnected,
    /// <summary>Any other failure the link reports.</summary>
    Failed,
}
