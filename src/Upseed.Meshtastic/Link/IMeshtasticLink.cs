namespace Upseed.Meshtastic.Link;

/// <summary>
/// A Meshtastic radio as the host sees it: send application data on a port, receive what arrives on a port. The
/// reconnecting <see cref="MeshtasticLinkSupervisor"/> and a single <see cref="MeshtasticConnection"/> both implement
/// it; tests use either against a fake radio.
/// </summary>
public interface IMeshtasticLink
{
    MeshtasticLinkState State { get; }

    /// <summary>The connected radio's info from its last handshake; false while none has completed.</summary>
    bool TryGetRadio(out MeshtasticRadioInfo? radio);

    /// <summary>Completes once the radio is connected and its handshake done.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled first.</exception>
    /// <exception cref="ObjectDisposedException">The link was closed for good.</exception>
    Task WaitUntilReadyAsync(CancellationToken cancellationToken = default);

    /// <summary>Receives every decoded packet on <paramref name="portNumber"/> from now on, until disposed.</summary>
    MeshtasticSubscription Subscribe(uint portNumber);

    /// <summary>Hands one packet to the radio. Never throws for link trouble: the status says what happened.</summary>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    ValueTask<MeshtasticSendResult> SendAsync(MeshtasticOutgoingPacket packet, CancellationToken cancellationToken = default);
}
