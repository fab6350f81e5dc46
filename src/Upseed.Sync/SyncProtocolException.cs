using System.Diagnostics.CodeAnalysis;

namespace Upseed.Sync;

/// <summary>
/// A peer sent a sync message that is malformed, over a limit, or against the protocol. The session that reads it
/// closes that one connection (STYLE.md rule 6); nothing else is affected.
/// </summary>
public sealed class SyncProtocolException : Exception
{
    public SyncProtocolException()
    {
    }

    public SyncProtocolException(string message)
        : base(message)
    {
    }

    public SyncProtocolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    [DoesNotReturn]
    internal static void Throw(string message) => throw new SyncProtocolException(message);
}
