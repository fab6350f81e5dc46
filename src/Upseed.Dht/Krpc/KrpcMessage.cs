using System.Net;
using Upseed.Bencode;

namespace Upseed.Dht.Krpc;

/// <summary>
/// One KRPC datagram. A decoded response keeps its body untyped in <see cref="ResponseBody"/> until the caller matches
/// it to its query and calls <see cref="KrpcCodec.TryReadResponse"/>; a response built to send carries
/// <see cref="Response"/>.
/// </summary>
public sealed record KrpcMessage
{
    private KrpcMessage(KrpcMessageKind kind, ReadOnlyMemory<byte> transactionId)
    {
        Kind = kind;
        TransactionId = transactionId;
    }

    public KrpcMessageKind Kind { get; }

    /// <summary><c>t</c>, echoed unchanged in the reply.</summary>
    public ReadOnlyMemory<byte> TransactionId { get; }

    public KrpcQuery? Query { get; private init; }

    public KrpcResponse? Response { get; private init; }

    /// <summary>The raw <c>r</c> dictionary of a decoded response.</summary>
    public BDictionary? ResponseBody { get; private init; }

    public KrpcError? Error { get; private init; }

    /// <summary>BEP 43 <c>ro=1</c>: the querier is read-only and must not enter routing tables.</summary>
    public bool ReadOnly { get; init; }

    /// <summary>BEP 20 client version <c>v</c> (top level), empty when absent.</summary>
    public ReadOnlyMemory<byte> Version { get; init; }

    /// <summary>BEP 42 top-level <c>ip</c>: the requester's address as the responder saw it.</summary>
    public IPEndPoint? ExternalAddress { get; init; }

    public static KrpcMessage ForQuery(ReadOnlyMemory<byte> transactionId, KrpcQuery query, bool readOnly = false)
    {
        ArgumentNullException.ThrowIfNull(query);
        return new(KrpcMessageKind.Query, transactionId) { Query = query, ReadOnly = readOnly };
    }

    public static KrpcMessage ForResponse(
        ReadOnlyMemory<byte> transactionId, KrpcResponse response, IPEndPoint? externalAddress = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        return new(KrpcMessageKind.Response, transactionId) { Response = response, ExternalAddress = externalAddress };
    }

    public static KrpcMessage ForError(ReadOnlyMemory<byte> transactionId, KrpcError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new(KrpcMessageKind.Error, transactionId) { Error = error };
    }

    internal static KrpcMessage ForResponseBody(ReadOnlyMemory<byte> transactionId, BDictionary body) =>
        new(KrpcMessageKind.Response, transactionId) { ResponseBody = body };
}
