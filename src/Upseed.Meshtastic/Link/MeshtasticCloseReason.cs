namespace Upseed.Meshtastic.Link;

/// <summary>Why a connection to the radio ended.</summary>
public enum MeshtasticCloseReason
{
    /// <summary>Closed by its owner.</summary>
    Disposed,

    /// <summary>The radio closed the TCP connection, or the serial device went away.</summary>
    EndOfStream,

    /// <summary>Reading from the stream failed.</summary>
    ReadFailed,

    /// <summary>Writing to the stream failed or took longer than the write timeout.</summary>
    WriteFailed,

    /// <summary>The radio said it rebooted: its session state is gone, so the handshake has to be redone.</summary>
    RadioRebooted,

    /// <summary>The radio did not finish the config handshake in time.</summary>
    HandshakeTimeout,
}
