namespace Upseed.Dht.Krpc;

/// <summary>The KRPC <c>y</c> key: <c>q</c>, <c>r</c> or <c>e</c>.</summary>
public enum KrpcMessageKind
{
    Query,
    Response,
    Error,
}
