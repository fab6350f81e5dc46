using System.Threading.Channels;

namespace Upseed.LoRa.Radio;

/// <summary>
/// A LoRa radio as Upseed uses it: send a payload of at most <see cref="MaxPayloadSize"/> bytes to one node or to
/// everyone, and receive payloads with their sender and signal. A Meshtastic radio (serial or TCP client API, on a
/// private-app port) implements it, and so does the simulator (<c>Upseed.LoRa.Simulation</c>), which is no radio.
/// </summary>
public interface IRadioLink : IAsyncDisposable
{
    /// <summary>This radio's node number (Meshtastic <c>MyNodeInfo.my_node_num</c>).</summary>
    uint LocalNode { get; }

    /// <summary>The largest payload one packet carries. <see cref="RadioLinkDefaults.MaxPayloadSize"/> for Meshtastic.</summary>
    int MaxPayloadSize { get; }

    /// <summary>
    /// Sends one payload. Completes when the radio has taken (or refused) the packet; a refusal is a status, not an
    /// exception.
    /// </summary>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    ValueTask<RadioSendResult> SendAsync(RadioPacket packet, CancellationToken cancellationToken = default);

    /// <summary>Payloads received for this app (broadcasts and ones addressed to this node), in arrival order.</summary>
    ChannelReader<ReceivedRadioPacket> Received { get; }
}
