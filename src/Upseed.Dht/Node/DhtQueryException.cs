using Upseed.Dht.Krpc;

namespace Upseed.Dht.Node;

/// <summary>A remote node answered a request with a KRPC error, or with a response we could not read.</summary>
public sealed class DhtQueryException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="DhtQueryException"/> class.</summary>
    public DhtQueryException()
        : this(new KrpcError(KrpcErrorCode.Generic, "error"))
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DhtQueryException"/> class.</summary>
    /// <param name="message">The reason.</param>
    public DhtQueryException(string message)
        : this(new KrpcError(KrpcErrorCode.Protocol, message))
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DhtQueryException"/> class.</summary>
    /// <param name="message">The reason.</param>
    /// <param name="innerException">The cause.</param>
    public DhtQueryException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = new KrpcError(KrpcErrorCode.Generic, message);
    }

    /// <summary>Initializes a new instance of the <see cref="DhtQueryException"/> class.</summary>
    /// <param name="error">The KRPC error received.</param>
    public DhtQueryException(KrpcError error)
        : base($"KRPC error {error?.Code}: {error?.Message}")
    {
        ArgumentNullException.ThrowIfNull(error);
        Error = error;
    }

    /// <summary>Gets the KRPC error (code 201–204, or 203 for an unreadable response).</summary>
    public KrpcError Error { get; }
}
