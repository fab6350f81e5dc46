using System.Buffers;

namespace Upseed.Torrent.Tests;

/// <summary>
/// Builds <see cref="ReadOnlySequence{T}"/> values from several segments, the shape a pipe hands a reader when a
/// message arrived in several TCP reads (after S.T.J's BufferFactory).
/// </summary>
internal static class SegmentedSequence
{
    /// <summary>A sequence whose segments are the given arrays, in order; empty arrays make empty segments.</summary>
    public static ReadOnlySequence<byte> Create(params ReadOnlyMemory<byte>[] segments)
    {
        if (segments.Length == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        var first = new Segment(segments[0], 0);
        var last = first;
        foreach (var memory in segments.AsSpan(1))
        {
            last = last.Append(memory);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    /// <summary><paramref name="bytes"/> cut at the given offsets (ascending, within the array).</summary>
    public static ReadOnlySequence<byte> Split(byte[] bytes, params int[] cuts)
    {
        var segments = new List<ReadOnlyMemory<byte>>();
        var start = 0;
        foreach (var cut in cuts)
        {
            segments.Add(bytes.AsMemory(start, cut - start));
            start = cut;
        }

        segments.Add(bytes.AsMemory(start));
        return Create([.. segments]);
    }

    /// <summary>One segment per byte: every value straddles a segment boundary.</summary>
    public static ReadOnlySequence<byte> OneBytePerSegment(byte[] bytes) =>
        Create([.. Enumerable.Range(0, bytes.Length).Select(i => (ReadOnlyMemory<byte>)bytes.AsMemory(i, 1))]);

    /// <summary>Cut into segments of random length (0 to <paramref name="maxSegment"/>, empty ones included).</summary>
    public static ReadOnlySequence<byte> RandomSplit(byte[] bytes, Random random, int maxSegment)
    {
        var cuts = new List<int>();
        var position = 0;
        while (true)
        {
            position += random.Next(0, maxSegment + 1);
            if (position >= bytes.Length)
            {
                break;
            }

            cuts.Add(position);
        }

        return Split(bytes, [.. cuts]);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
