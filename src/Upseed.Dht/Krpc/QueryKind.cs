namespace Upseed.Dht.Krpc;

/// <summary>KRPC methods Upseed speaks (BEP 5 and BEP 44).</summary>
public enum QueryKind
{
    Ping,
    FindNode,
    GetPeers,
    AnnouncePeer,
    Get,
    Put,
}
