namespace Upseed.Mqtt.Client;

/// <summary>Traffic of a client across all its connections. Thread-safe; read at any time.</summary>
public sealed class MqttTrafficCounters
{
    private long _messagesIn;
    private long _messagesOut;
    private long _bytesIn;
    private long _bytesOut;
    private long _packetsIn;
    private long _packetsOut;

    /// <summary>PUBLISH packets received.</summary>
    public long MessagesIn => Interlocked.Read(ref _messagesIn);

    /// <summary>PUBLISH packets sent (a re-delivery counts again).</summary>
    public long MessagesOut => Interlocked.Read(ref _messagesOut);

    /// <summary>Bytes read from the broker, headers included.</summary>
    public long BytesIn => Interlocked.Read(ref _bytesIn);

    /// <summary>Bytes written to the broker, headers included.</summary>
    public long BytesOut => Interlocked.Read(ref _bytesOut);

    public long PacketsIn => Interlocked.Read(ref _packetsIn);

    public long PacketsOut => Interlocked.Read(ref _packetsOut);

    internal void BytesReceived(int bytes) => Interlocked.Add(ref _bytesIn, bytes);

    internal void Received(bool isPublish)
    {
        Interlocked.Increment(ref _packetsIn);
        if (isPublish)
        {
            Interlocked.Increment(ref _messagesIn);
        }
    }

    internal void Sent(bool isPublish, int bytes)
    {
        Interlocked.Increment(ref _packetsOut);
        Interlocked.Add(ref _bytesOut, bytes);
        if (isPublish)
        {
            Interlocked.Increment(ref _messagesOut);
        }
    }
}
