namespace Upseed.Torrent.Trackers;

/// <summary>
/// The one exception tracker clients and codecs throw: the tracker refused (its own words in
/// <see cref="FailureReason"/>), the reply was malformed, no reply came in time, or the tracker could not be reached.
/// </summary>
public sealed class TrackerException : Exception
{
    // A tracker's text ends up in logs; a hostile one should not fill them.
    private const int MaxReasonLength = 512;

    public TrackerException(TrackerErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    public TrackerException()
        : this(TrackerErrorKind.MalformedReply, "The tracker request failed.")
    {
    }

    public TrackerException(string message)
        : this(TrackerErrorKind.MalformedReply, message)
    {
    }

    public TrackerException(string message, Exception innerException)
        : this(TrackerErrorKind.MalformedReply, message, innerException)
    {
    }

    public TrackerErrorKind Kind { get; }

    /// <summary>
    /// The tracker's own explanation when <see cref="Kind"/> is <see cref="TrackerErrorKind.Rejected"/> (HTTP
    /// <c>failure reason</c>, UDP error message), with control characters replaced and cut to 512 characters.
    /// </summary>
    public string? FailureReason { get; private init; }

    /// <summary>An exception carrying the tracker's refusal in its own words.</summary>
    public static TrackerException Rejected(string failureReason)
    {
        ArgumentNullException.ThrowIfNull(failureReason);
        var reason = Sanitize(failureReason);
        return new TrackerException(TrackerErrorKind.Rejected, $"The tracker refused the request: {reason}")
        {
            FailureReason = reason,
        };
    }

    /// <summary>An exception for a reply that breaks the protocol; <paramref name="what"/> says how.</summary>
    internal static TrackerException Malformed(string what) =>
        new(TrackerErrorKind.MalformedReply, $"The tracker's reply is malformed: {what}.");

    private static string Sanitize(string text)
    {
        var cut = text.Length > MaxReasonLength ? text[..MaxReasonLength] : text;
        return string.Create(cut.Length, cut, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = char.IsControl(source[i]) ? '?' : source[i];
            }
        });
    }
}
