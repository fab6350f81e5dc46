using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using Upseed.Torrent.Wire;

namespace Upseed.Torrent.Tests.Wire;

/// <summary>
/// A stream of every message, cut at every byte boundary into segments, must read as the same messages (STYLE rule 11:
/// segmentation). Covers length prefixes, ids, integers and payloads that straddle segments.
/// </summary>
public class PeerMessageSegmentationTests
{
    private static readonly byte[] s_stream = PeerMessageCases.Stream();
    private static readonly PeerMessage[] s_expected = [.. PeerMessageCases.All.Select(c => c.Message)];

    [Fact]
    public void TryRead_StreamCutOnceAtEveryByte_YieldsTheSameMessages()
    {
        for (var cut = 0; cut <= s_stream.Length; cut++)
        {
            var messages = ReadAll(SegmentedSequence.Split(s_stream, cut), out var rest);

            Assert.Equal(s_expected, messages);
            Assert.True(rest.IsEmpty, $"cut at {cut}");
        }
    }

    [Fact]
    public void TryRead_StreamCutTwiceAtEveryPairOfBytes_YieldsTheSameMessages()
    {
        // The first 120 bytes hold the short messages whose fields are most often split; pairs over all of it would
        // be ~40,000 cases for no new shapes.
        var limit = Math.Min(120, s_stream.Length);
        for (var first = 0; first <= limit; first++)
        {
            for (var second = first; second <= limit; second++)
            {
                Assert.Equal(s_expected, ReadAll(SegmentedSequence.Split(s_stream, first, second), out _));
            }
        }
    }

    [Fact]
    public void TryRead_OneBytePerSegment_YieldsTheSameMessages()
    {
        Assert.Equal(s_expected, ReadAll(SegmentedSequence.OneBytePerSegment(s_stream), out var rest));
        Assert.True(rest.IsEmpty);
    }

    [Fact]
    public void TryRead_BytesArrivingOneAtATime_EachMessageAppearsWhenItsLastByteArrives()
    {
        // As a pipe delivers them: the buffer grows by one byte per read, in a new segment, and the reader is called
        // again with whatever it left.
        var received = new List<PeerMessage>();
        var consumed = 0;
        for (var arrived = 0; arrived <= s_stream.Length; arrived++)
        {
            var buffer = SegmentedSequence.OneBytePerSegment(s_stream[consumed..arrived]);
            while (true)
            {
                var before = buffer;
                var status = PeerMessageReader.TryRead(ref buffer, PeerWireOptions.Default, out var message, out var error);
                if (status == OperationStatus.NeedMoreData)
                {
                    Assert.Equal(before.Length, buffer.Length);
                    break;
                }

                Assert.True(status == OperationStatus.Done, $"{status} {error} at byte {arrived}");
                received.Add(message!);
                consumed += (int)(before.Length - buffer.Length);
                Assert.Equal(arrived, consumed + (int)buffer.Length);
            }
        }

        Assert.Equal(s_expected, received);
        Assert.Equal(s_stream.Length, consumed);
    }

    [Fact]
    public void TryRead_RandomStreamsRandomlySplit_YieldTheSameMessages()
    {
        var random = new Random(11);
        Prop.ForAll(PeerMessageGen.Streams, messages =>
        {
            var writer = new ArrayBufferWriter<byte>();
            foreach (var message in messages)
            {
                PeerMessageWriter.Write(writer, message);
            }

            var sequence = SegmentedSequence.RandomSplit(writer.WrittenSpan.ToArray(), random, maxSegment: random.Next(1, 40));

            Assert.Equal(messages, ReadAll(sequence, out var rest));
            Assert.True(rest.IsEmpty);
        }).Check(PeerMessageGen.Config(300));
    }

    private static List<PeerMessage> ReadAll(ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> rest)
    {
        var messages = new List<PeerMessage>();
        OperationStatus status;
        while ((status = PeerMessageReader.TryRead(ref buffer, PeerWireOptions.Default, out var message, out _)) == OperationStatus.Done)
        {
            messages.Add(message!);
        }

        Assert.Equal(OperationStatus.NeedMoreData, status);
        rest = buffer;
        return messages;
    }
}
