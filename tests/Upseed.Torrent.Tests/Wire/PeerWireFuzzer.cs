using System.Buffers;
using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using Upseed.Torrent.Wire;

namespace Upseed.Torrent.Tests.Wire;

/// <summary>
/// Mutation fuzzer for <see cref="PeerMessageReader"/>. Each input is random bytes or a stream of valid messages with a
/// few mutations (bit flips, interesting length prefixes and ids, inserts, deletes, truncation), cut into random
/// segments. The oracle, message by message: <see cref="OperationStatus.Done"/> consumes bytes that re-encode to
/// exactly themselves and respects every limit; <see cref="OperationStatus.NeedMoreData"/> happens only when the
/// declared message really is incomplete and leaves the buffer alone; <see cref="OperationStatus.InvalidData"/> names
/// an error and leaves the buffer alone. Any exception fails with the input in hex, ready for a regression test.
/// </summary>
internal sealed class PeerWireFuzzer
{
    private static readonly PeerWireOptions s_tight = new() { MaxMessageLength = 24, MaxBlockLength = 4, IgnoreUnknownMessages = false };

    private static readonly uint[] s_interestingLengths =
        [0, 1, 2, 3, 4, 5, 9, 12, 13, 14, 0x4009, 0x400A, 0x1000D, 0x1000E, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF];

    private static readonly byte[] s_interestingBytes = [0, 1, 4, 5, 6, 7, 9, 0x0D, 0x11, 20, 21, 0x40, 0x7F, 0x80, 0xFF];

    private readonly Random _random;
    private readonly List<byte[]> _corpus;

    public PeerWireFuzzer(int seed)
    {
        _random = new Random(seed);
        _corpus = [.. PeerMessageCases.All.Select(c => PeerMessageCases.Bytes(c.Hex))];
        foreach (var message in PeerMessageGen.Message.Sample(size: 50, seed: new Rnd((ulong)seed, PeerMessageGen.Gamma), numberOfSamples: 64))
        {
            var writer = new ArrayBufferWriter<byte>();
            PeerMessageWriter.Write(writer, message);
            if (writer.WrittenCount < 2048)
            {
                _corpus.Add(writer.WrittenSpan.ToArray());
            }
        }
    }

    public FuzzStats Stats { get; } = new();

    public void Run(int iterations)
    {
        for (var i = 0; i < iterations; i++)
        {
            var input = NextInput();
            var options = _random.Next(4) == 0 ? s_tight : PeerWireOptions.Default;
            Check(input, SegmentedSequence.RandomSplit(input, _random, _random.Next(1, 24)), options, Stats);
        }
    }

    /// <summary>The oracle for one input; public so a found crash can be replayed as a named regression test.</summary>
    public static void Check(byte[] input, ReadOnlySequence<byte> buffer, PeerWireOptions options, FuzzStats? stats = null)
    {
        try
        {
            CheckStream(buffer, options, stats);
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException($"Reader threw {ex.GetType().Name} on {Convert.ToHexString(input)}: {ex}");
        }
        catch (Xunit.Sdk.XunitException ex)
        {
            throw new Xunit.Sdk.XunitException($"{ex.Message} on input {Convert.ToHexString(input)}");
        }
    }

    private static void CheckStream(ReadOnlySequence<byte> buffer, PeerWireOptions options, FuzzStats? stats)
    {
        // Each Done consumes at least 4 bytes, so this bounds the loop: a reader that stops making progress fails.
        var steps = (buffer.Length / 4) + 1;
        for (var step = 0; step <= steps; step++)
        {
            var before = buffer;
            var status = PeerMessageReader.TryRead(ref buffer, options, out var message, out var error);
            switch (status)
            {
                case OperationStatus.Done:
                    var consumed = before.Slice(0, before.Length - buffer.Length).ToArray();
                    Assert.True(consumed.Length >= 4, "Done consumed less than a length prefix");
                    Assert.Equal(PeerWireError.None, error);
                    CheckMessage(message!, consumed, options);
                    stats?.Accepted(message!.GetType().Name);
                    break;
                case OperationStatus.NeedMoreData:
                    Assert.Equal(PeerWireError.None, error);
                    Assert.Null(message);
                    Assert.Equal(before, buffer);
                    Assert.True(IsIncomplete(buffer), "NeedMoreData with a whole message in the buffer");
                    stats?.Accepted("(need more data)");
                    return;
                case OperationStatus.InvalidData:
                    Assert.NotEqual(PeerWireError.None, error);
                    Assert.Null(message);
                    Assert.Equal(before, buffer);
                    stats?.Rejected(error.ToString());
                    return;
                default:
                    Assert.Fail($"unexpected status {status}");
                    return;
            }
        }

        Assert.Fail("the reader kept returning Done without consuming the buffer");
    }

    private static bool IsIncomplete(ReadOnlySequence<byte> buffer)
    {
        if (buffer.Length < 4)
        {
            return true;
        }

        Span<byte> prefix = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(prefix);
        return buffer.Length - 4 < BinaryPrimitives.ReadUInt32BigEndian(prefix);
    }

    private static void CheckMessage(PeerMessage message, byte[] consumed, PeerWireOptions options)
    {
        Assert.True(consumed.Length - 4 <= options.MaxMessageLength, "message over MaxMessageLength accepted");
        switch (message)
        {
            case UnknownMessage unknown:
                // The payload is skipped, so only the id can be compared.
                Assert.True(options.IgnoreUnknownMessages);
                Assert.Equal(consumed[4], unknown.Id);
                return;
            case RequestMessage { Length: var length } when length > options.MaxBlockLength:
            case CancelMessage { Length: var cancelLength } when cancelLength > options.MaxBlockLength:
            case PieceMessage { Block.Length: var blockLength } when blockLength > options.MaxBlockLength:
                Assert.Fail($"block over MaxBlockLength accepted: {message}");
                return;
        }

        var writer = new ArrayBufferWriter<byte>();
        PeerMessageWriter.Write(writer, message);
        Assert.True(writer.WrittenSpan.SequenceEqual(consumed), $"{message} re-encodes to {Convert.ToHexString(writer.WrittenSpan)}, read from {Convert.ToHexString(consumed)}");
    }

    private byte[] NextInput()
    {
        if (_random.Next(5) == 0)
        {
            var random = new byte[_random.Next(0, 48)];
            _random.NextBytes(random);
            return random;
        }

        var bytes = new List<byte>();
        for (var n = _random.Next(1, 5); n > 0; n--)
        {
            bytes.AddRange(_corpus[_random.Next(_corpus.Count)]);
        }

        for (var n = _random.Next(0, 4); n > 0 && bytes.Count > 0; n--)
        {
            Mutate(bytes);
        }

        return [.. bytes];
    }

    private void Mutate(List<byte> bytes)
    {
        var at = _random.Next(bytes.Count);
        switch (_random.Next(7))
        {
            case 0:
                bytes[at] ^= (byte)(1 << _random.Next(8));
                break;
            case 1:
                bytes[at] = s_interestingBytes[_random.Next(s_interestingBytes.Length)];
                break;
            case 2:
                var length = new byte[4];
                BinaryPrimitives.WriteUInt32BigEndian(length, s_interestingLengths[_random.Next(s_interestingLengths.Length)]);
                for (var i = 0; i < 4 && at + i < bytes.Count; i++)
                {
                    bytes[at + i] = length[i];
                }

                break;
            case 3:
                bytes.Insert(at, (byte)_random.Next(256));
                break;
            case 4:
                bytes.RemoveAt(at);
                break;
            case 5:
                bytes.RemoveRange(at, bytes.Count - at); // truncate
                break;
            default:
                bytes.RemoveRange(at, Math.Min(_random.Next(1, 6), bytes.Count - at));
                break;
        }
    }
}
