using System.Net;
using Upseed.Metainfo;

namespace Upseed.Torrent.Lsd;

/// <summary>A peer that announced a swarm we carry: the UDP source address with the Port header (BEP 14).</summary>
public sealed record LsdPeer(InfoHash InfoHash, IPEndPoint EndPoint);
