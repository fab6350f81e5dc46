namespace Upseed.Torrent.Swarm;

/// <summary>Running totals for the admin's charts and the logs. Thread-safe; reads are snapshots.</summary>
public sealed class EngineCounters
{
    private long _connectionsAccepted;
    private long _connectionsRefused;
    private long _activeConnections;
    private long _sessions;
    private long _unknownInfoHash;
    private long _protocolErrors;
    private long _blocksServed;
    private long _bytesServed;
    private long _metadataServed;

    public long ConnectionsAccepted => Interlocked.Read(ref _connectionsAccepted);

    /// <summary>Connections closed at once because <see cref="EngineOptions.MaxConnections"/> was reached.</summary>
    public long ConnectionsRefused => Interlocked.Read(ref _connectionsRefused);

    public long ActiveConnections => Interlocked.Read(ref _activeConnections);

    /// <summary>Handshakes answered for a torrent this node seeds.</summary>
    public long Sessions => Interlocked.Read(ref _sessions);

    public long UnknownInfoHashes => Interlocked.Read(ref _unknownInfoHash);

    public long ProtocolErrors => Interlocked.Read(ref _protocolErrors);

    public long BlocksServed => Interlocked.Read(ref _blocksServed);

    public long BytesServed => Interlocked.Read(ref _bytesServed);

    public long MetadataPiecesServed => Interlocked.Read(ref _metadataServed);

    internal void Accepted()
    {
        Interlocked.Increment(ref _connectionsAccepted);
        Interlocked.Increment(ref _activeConnections);
    }

    internal void Closed() => Interlocked.Decrement(ref _activeConnections);

    internal void Refused() => Interlocked.Increment(ref _connectionsRefused);

    internal void SessionStarted() => Interlocked.Increment(ref _sessions);

    internal void UnknownInfoHash() => Interlocked.Increment(ref _unknownInfoHash);

    internal void ProtocolError() => Interlocked.Increment(ref _protocolErrors);

    internal void BlockServed(int bytes)
    {
        Interlocked.Increment(ref _blocksServed);
        Interlocked.Add(ref _bytesServed, bytes);
    }

    internal void MetadataServed() => Interlocked.Increment(ref _metadataServed);
}
