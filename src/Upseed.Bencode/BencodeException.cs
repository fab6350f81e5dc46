using System.Diagnostics.CodeAnalysis;

namespace Upseed.Bencode;

/// <summary>Thrown when bencoded input is malformed or breaks a canonical rule or a limit.</summary>
public sealed class BencodeException : Exception
{
    public BencodeException(BencodeError error, int position)
        : base($"{Describe(error)} (at byte {position})")
    {
        Error = error;
        Position = position;
    }

    public BencodeException()
        : this(BencodeError.UnexpectedByte, 0)
    {
    }

    public BencodeException(string message)
        : base(message)
    {
    }

    public BencodeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>What was wrong.</summary>
    public BencodeError Error { get; }

    /// <summary>Offset in the input where the problem was found.</summary>
    public int Position { get; }

    /// <summary>A sentence a person can read for each error.</summary>
    public static string Describe(BencodeError error) => error switch
    {
        BencodeError.Truncated => "bencode input ends inside a value",
        BencodeError.UnexpectedByte => "unexpected byte in bencode input",
        BencodeError.LeadingZero => "number with a leading zero is not canonical bencode",
        BencodeError.NegativeZero => "i-0e is not valid bencode",
        BencodeError.IntegerOverflow => "integer out of range",
        BencodeError.StringTooLong => "byte string longer than the limit",
        BencodeError.UnsortedKeys => "dictionary keys are not sorted as raw bytes",
        BencodeError.DuplicateKey => "dictionary has a duplicate key",
        BencodeError.DepthExceeded => "lists and dictionaries nested too deep",
        BencodeError.TooManyValues => "too many values in one message",
        BencodeError.MessageTooLarge => "bencoded message larger than the limit",
        BencodeError.TrailingBytes => "bytes follow the bencoded value",
        BencodeError.KeyNotString => "dictionary key is not a byte string",
        _ => "malformed bencode",
    };

    [DoesNotReturn]
    internal static void Throw(BencodeError error, int position) => throw new BencodeException(error, position);
}
