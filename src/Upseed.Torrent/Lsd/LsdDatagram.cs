using System.Net;

namespace Upseed.Torrent.Lsd;

/// <summary>One received datagram: how many bytes landed in the caller's buffer, and who sent them.</summary>
/// <param name="Length">Bytes written to the buffer (a longer datagram may be cut to the buffer's size).</param>
/// <param name="Source">The UDP source address and port; BEP 14 takes the peer's IP from here.</param>
public readonly record struct LsdDatagram(int Length, IPEndPoint Source);
