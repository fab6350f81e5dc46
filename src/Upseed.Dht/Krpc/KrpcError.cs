namespace Upseed.Dht.Krpc;

/// <summary>A KRPC error, <c>e: [code, message]</c>; codes are in <see cref="KrpcErrorCode"/>.</summary>
public sealed record KrpcError(int Code, string Message);
