namespace Upseed.Meshtastic.Link;

/// <summary>What one connection saw, for the admin's charts and for tests. Thread-safe.</summary>
public sealed class MeshtasticLinkCounters
{
    private long _framesReceived;
    private long _noiseBytes;
    private long _oversizedLengths;
    private long _malformedMessages;
    private long _packetsReceived;
    private long _packetsUndecoded;
    private long _packetsSent;

    /// <summary>Well-formed frames read from the radio.</summary>
    public long FramesReceived => Interlocked.Read(ref _framesReceived);

    /// <summary>Bytes outside frames (the radio's debug text, line noise).</summary>
    public long NoiseBytes => Interlocked.Read(ref _noiseBytes);

    /// <summary>Frame starts whose length was over 512: skipped.</summary>
    public long OversizedLengths => Interlocked.Read(ref _oversizedLengths);

    /// <summary>Frames whose payload was not a valid <c>FromRadio</c>: skipped.</summary>
    public long MalformedMessages => Interlocked.Read(ref _malformedMessages);

    /// <summary>Mesh packets with a decoded payload.</summary>
    public long PacketsReceived => Interlocked.Read(ref _packetsReceived);

    /// <summary>Mesh packets the radio passed on still encrypted (a channel it has no key for).</summary>
    public long PacketsUndecoded => Interlocked.Read(ref _packetsUndecoded);

    public long PacketsSent => Interlocked.Read(ref _packetsSent);

    internal void AddFrame() => Interlocked.Increment(ref _framesReceived);

    internal void AddNoise(int bytes) => Interlocked.Add(ref _noiseBytes, bytes);

    internal void AddOversized() => Interlocked.Increment(ref _oversizedLengths);

    internal void AddMalformed() => Interlocked.Increment(ref _malformedMessages);

    internal void AddPacketReceived() => Interlocked.Increment(ref _packetsReceived);

    internal void AddPacketUndecoded() => Interlocked.Increment(ref _packetsUndecoded);

    internal void AddPacketSent() => Interlocked.Increment(ref _packetsSent);
}
