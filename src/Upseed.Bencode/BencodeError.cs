namespace Upseed.Bencode;

/// <summary>Why a bencoded input was refused. Each value maps to one sentence in <see cref="BencodeException"/>.</summary>
public enum BencodeError
{
    /// <summary>The input ended inside a value.</summary>
    Truncated,
    /// <summary>A byte that cannot start or continue a value here.</summary>
    UnexpectedByte,
    /// <summary>An integer or length written with a leading zero (BEP 3 forbids it).</summary>
    LeadingZero,
    /// <summary><c>i-0e</c> (BEP 3 forbids it).</summary>
    NegativeZero,
    /// <summary>An integer outside the signed 64-bit range, or a length outside 32 bits.</summary>
    IntegerOverflow,
    /// <summary>A string longer than <see cref="BencodeOptions.MaxStringLength"/>.</summary>
    StringTooLong,
    /// <summary>Dictionary keys not in ascending raw-byte order.</summary>
    UnsortedKeys,
    /// <summary>The same dictionary key twice.</summary>
    DuplicateKey,
    /// <summary>Lists and dictionaries nested deeper than <see cref="BencodeOptions.MaxDepth"/>.</summary>
    DepthExceeded,
    /// <summary>More values than <see cref="BencodeOptions.MaxValues"/>.</summary>
    TooManyValues,
    /// <summary>Input longer than <see cref="BencodeOptions.MaxMessageSize"/>.</summary>
    MessageTooLarge,
    /// <summary>Bytes left over after the top-level value.</summary>
    TrailingBytes,
    /// <summary>A dictionary key that is not a byte string.</summary>
    KeyNotString,
}
