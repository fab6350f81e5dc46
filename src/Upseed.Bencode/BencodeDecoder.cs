using System.Buffers;
using System.Runtime.CompilerServices;

namespace Upseed.Bencode;

/// <summary>
/// Strict bencode decoder (BEP 3). Refuses non-canonical input: unsorted (unless
/// <see cref="BencodeOptions.RequireSortedKeys"/> is off) or duplicate dictionary keys, leading zeros, <c>i-0e</c>,
/// trailing bytes; and enforces the limits in <see cref="BencodeOptions"/> before allocating anything.
/// Decoded strings are slices of the input (no copy), so the input must outlive the values.
/// </summary>
public static class BencodeDecoder
{
    /// <summary>Decodes exactly one value that fills the whole input.</summary>
    /// <exception cref="BencodeException">The input is malformed, non-canonical, over a limit, or has trailing bytes.</exception>
    public static BValue Decode(ReadOnlyMemory<byte> input, BencodeOptions? options = null)
    {
        var value = DecodePrefix(input, out var consumed, options);
        if (consumed != input.Length)
        {
            BencodeException.Throw(BencodeError.TrailingBytes, consumed);
        }

        return value;
    }

    /// <summary>Decodes one value from the start of the input and reports how many bytes it used.</summary>
    /// <exception cref="BencodeException">The value is malformed, non-canonical, over a limit, or incomplete.</exception>
    public static BValue DecodePrefix(ReadOnlyMemory<byte> input, out int consumed, BencodeOptions? options = null)
    {
        options ??= BencodeOptions.Default;
        var parser = new Parser(input, options);
        var value = parser.ParseValue(0);
        consumed = parser.Position;
        return value;
    }

    /// <summary>
    /// Decodes a value from a buffer that may not hold all of it yet. Returns <see cref="OperationStatus.NeedMoreData"/>
    /// when the input ends inside the value (and is still under the size limit), <see cref="OperationStatus.InvalidData"/>
    /// with the error when it is malformed, or with <see cref="BencodeError.MessageTooLarge"/> once the buffered bytes
    /// reach <see cref="BencodeOptions.MaxMessageSize"/> without completing a value.
    /// </summary>
    public static OperationStatus TryDecodePrefix(
        ReadOnlyMemory<byte> input,
        out BValue? value,
        out int consumed,
        out BencodeException? error,
        BencodeOptions? options = null)
    {
        options ??= BencodeOptions.Default;
        try
        {
            value = DecodePrefix(input, out consumed, options);
            error = null;
            return OperationStatus.Done;
        }
        catch (BencodeException ex) when (ex.Error == BencodeError.Truncated)
        {
            value = null;
            consumed = 0;
            error = null;
            return OperationStatus.NeedMoreData;
        }
        catch (BencodeException ex)
        {
            value = null;
            consumed = 0;
            error = ex;
            return OperationStatus.InvalidData;
        }
    }

    private struct Parser
    {
        // The parser only ever sees the first MaxMessageSize bytes, so no value (a string body, a closing 'e') can end
        // past the limit. Running off that window means "truncated" when the input is shorter than the limit, and
        // "too large" when the input reaches the limit, since more bytes could then never complete a valid message.
        private readonly ReadOnlyMemory<byte> _input;
        private readonly BencodeOptions _options;
        private readonly BencodeError _endOfInput;
        private int _values;

        public Parser(ReadOnlyMemory<byte> input, BencodeOptions options)
        {
            var limit = Math.Max(0, options.MaxMessageSize);
            _endOfInput = input.Length >= limit ? BencodeError.MessageTooLarge : BencodeError.Truncated;
            _input = input.Length > limit ? input[..limit] : input;
            _options = options;
            Position = 0;
            _values = 0;
        }

        public int Position { get; private set; }

        public BValue ParseValue(int depth)
        {
            var span = _input.Span;
            if (Position >= span.Length)
            {
                BencodeException.Throw(_endOfInput, Position);
            }

            if (++_values > _options.MaxValues)
            {
                BencodeException.Throw(BencodeError.TooManyValues, Position);
            }

            var start = Position;
            switch (span[Position])
            {
                case (byte)'i':
                    Position++;
                    var number = ParseInteger(span, (byte)'e', allowNegative: true);
                    return new BInteger(number, _input[start..Position]);
                case (byte)'l':
                    return ParseList(depth, start);
                case (byte)'d':
                    return ParseDictionary(depth, start);
                case >= (byte)'0' and <= (byte)'9':
                    var text = ParseStringBody(span);
                    return new BString(text, _input[start..Position]);
                default:
                    BencodeException.Throw(BencodeError.UnexpectedByte, Position);
                    return null!;
            }
        }

        private BList ParseList(int depth, int start)
        {
            EnterContainer(depth);

            Position++;
            var items = new List<BValue>();
            while (true)
            {
                var span = _input.Span;
                if (Position >= span.Length)
                {
                    BencodeException.Throw(_endOfInput, Position);
                }

                if (span[Position] == (byte)'e')
                {
                    Position++;
                    return new BList(items, _input[start..Position]);
                }

                items.Add(ParseValue(depth + 1));
            }
        }

        private BDictionary ParseDictionary(int depth, int start)
        {
            EnterContainer(depth);

            Position++;
            var entries = new List<KeyValuePair<byte[], BValue>>();
            List<int>? keyStarts = null; // only once a key is out of order (RequireSortedKeys = false)
            ReadOnlyMemory<byte> previousKey = default;
            var first = true;
            while (true)
            {
                var span = _input.Span;
                if (Position >= span.Length)
                {
                    BencodeException.Throw(_endOfInput, Position);
                }

                if (span[Position] == (byte)'e')
                {
                    Position++;
                    if (keyStarts is not null)
                    {
                        SortAndCheckDuplicates(entries, keyStarts);
                    }

                    return new BDictionary(entries, _input[start..Position]);
                }

                if (span[Position] is < (byte)'0' or > (byte)'9')
                {
                    BencodeException.Throw(BencodeError.KeyNotString, Position);
                }

                var keyStart = Position;
                if (++_values > _options.MaxValues)
                {
                    BencodeException.Throw(BencodeError.TooManyValues, Position);
                }

                var key = ParseStringBody(span);
                if (!first)
                {
                    var order = previousKey.Span.SequenceCompareTo(key.Span);
                    if (order == 0)
                    {
                        BencodeException.Throw(BencodeError.DuplicateKey, keyStart);
                    }

                    if (order > 0 && keyStarts is null)
                    {
                        if (_options.RequireSortedKeys)
                        {
                            BencodeException.Throw(BencodeError.UnsortedKeys, keyStart);
                        }

                        // From here on duplicates may be far apart; they are found after sorting, at the end.
                        keyStarts = new List<int>(entries.Count + 1);
                        for (var i = 0; i < entries.Count; i++)
                        {
                            keyStarts.Add(-1);
                        }
                    }
                }

                first = false;
                previousKey = key;
                keyStarts?.Add(keyStart);
                var value = ParseValue(depth + 1);
                entries.Add(new(key.ToArray(), value));
            }
        }

        // BDictionary looks keys up by binary search, so an unsorted dictionary is sorted here. The sort is stable and
        // bounded by MaxValues; equal keys end up adjacent, and the later one on the wire is reported.
        private static void SortAndCheckDuplicates(List<KeyValuePair<byte[], BValue>> entries, List<int> keyStarts)
        {
            var order = new int[entries.Count];
            for (var i = 0; i < order.Length; i++)
            {
                order[i] = i;
            }

            Array.Sort(order, (a, b) =>
            {
                var byKey = entries[a].Key.AsSpan().SequenceCompareTo(entries[b].Key);
                return byKey != 0 ? byKey : a.CompareTo(b);
            });

            var sorted = new KeyValuePair<byte[], BValue>[order.Length];
            for (var i = 0; i < order.Length; i++)
            {
                sorted[i] = entries[order[i]];
                if (i > 0 && sorted[i].Key.AsSpan().SequenceEqual(sorted[i - 1].Key))
                {
                    BencodeException.Throw(BencodeError.DuplicateKey, Math.Max(keyStarts[order[i]], keyStarts[order[i - 1]]));
                }
            }

            entries.Clear();
            entries.AddRange(sorted);
        }

        // MaxDepth bounds the recursion; the stack probe also covers callers that raise MaxDepth past what the
        // thread's stack holds, so deep input is refused instead of ending the process with a stack overflow.
        private readonly void EnterContainer(int depth)
        {
            if (depth + 1 > _options.MaxDepth || !RuntimeHelpers.TryEnsureSufficientExecutionStack())
            {
                BencodeException.Throw(BencodeError.DepthExceeded, Position);
            }
        }

        private ReadOnlyMemory<byte> ParseStringBody(ReadOnlySpan<byte> span)
        {
            var length = ParseInteger(span, (byte)':', allowNegative: false);
            if (length > _options.MaxStringLength)
            {
                BencodeException.Throw(BencodeError.StringTooLong, Position);
            }

            if (length > span.Length - Position)
            {
                BencodeException.Throw(
                    Position + length > _options.MaxMessageSize ? BencodeError.MessageTooLarge : _endOfInput,
                    Position);
            }

            var body = _input.Slice(Position, (int)length);
            Position += (int)length;
            return body;
        }

        // Reads digits up to the terminator. Accumulates negatively so long.MinValue parses without overflow.
        private long ParseInteger(ReadOnlySpan<byte> span, byte terminator, bool allowNegative)
        {
            var negative = false;
            if (allowNegative && Position < span.Length && span[Position] == (byte)'-')
            {
                negative = true;
                Position++;
            }

            var digitsStart = Position;
            long accumulator = 0;
            while (true)
            {
                if (Position >= span.Length)
                {
                    BencodeException.Throw(_endOfInput, Position);
                }

                var b = span[Position];
                if (b == terminator)
                {
                    break;
                }

                if (b is < (byte)'0' or > (byte)'9')
                {
                    BencodeException.Throw(BencodeError.UnexpectedByte, Position);
                }

                if (Position > digitsStart && span[digitsStart] == (byte)'0')
                {
                    BencodeException.Throw(BencodeError.LeadingZero, digitsStart);
                }

                var digit = b - '0';
                if (accumulator < (long.MinValue + digit) / 10)
                {
                    BencodeException.Throw(BencodeError.IntegerOverflow, digitsStart);
                }

                accumulator = (accumulator * 10) - digit;
                Position++;
            }

            if (Position == digitsStart)
            {
                BencodeException.Throw(BencodeError.UnexpectedByte, Position);
            }

            if (negative && accumulator == 0)
            {
                BencodeException.Throw(BencodeError.NegativeZero, digitsStart);
            }

            Position++; // terminator
            if (negative)
            {
                return accumulator;
            }

            if (accumulator == long.MinValue)
            {
                BencodeException.Throw(BencodeError.IntegerOverflow, digitsStart);
            }

            return -accumulator;
        }
    }
}
