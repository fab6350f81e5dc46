using Upseed.LoRa.Frames;

namespace Upseed.LoRa.Tests;

public class FrameAssemblerTests
{
    private readonly FixedClock _clock = new();

    [Fact]
    public void Add_FragmentsOutOfOrderWithDuplicates_CompletesOnce()
    {
        var message = Bytes(600, seed: 1);
        var frames = Frames(message, 0x01020304, hops: 5);
        var assembler = new FrameAssembler(clock: _clock);

        Assert.Equal(AssemblyStatus.Pending, Add(assembler, frames[2], out _));
        Assert.Equal(AssemblyStatus.Duplicate, Add(assembler, frames[2], out _));
        Assert.Equal(AssemblyStatus.Pending, Add(assembler, frames[0], out _));
        Assert.Equal(AssemblyStatus.Completed, Add(assembler, frames[1], out var result));
        Assert.Equal(message, result);
        Assert.Equal(AssemblyStatus.Duplicate, Add(assembler, frames[1], out _)); // a late copy from another box
        Assert.Equal(0, assembler.PendingCount);
    }

    [Fact]
    public void Add_TwoMessagesInterleaved_BothComplete()
    {
        var a = Bytes(300, seed: 2);
        var b = Bytes(500, seed: 3);
        var framesA = Frames(a, 1, 3);
        var framesB = Frames(b, 2, 3);
        var assembler = new FrameAssembler(clock: _clock);
        var completed = new List<byte[]>();

        foreach (var frame in new[] { framesB[0], framesA[1], framesB[2], framesA[0], framesB[1] })
        {
            if (Add(assembler, frame, out var message) == AssemblyStatus.Completed)
            {
                completed.Add(message!);
            }
        }

        Assert.Equal([a, b], completed);
    }

    [Fact]
    public void Add_HopsAreTheLargestSeen()
    {
        var message = Bytes(300, seed: 4);
        var assembler = new FrameAssembler(clock: _clock);

        Add(assembler, Frames(message, 7, hops: 2)[0], out _);
        MeshFrameCodec.TryRead(Frames(message, 7, hops: 6)[1], out var frame);

        Assert.Equal(AssemblyStatus.Completed, assembler.Add(frame, out _, out var hops));
        Assert.Equal(6, hops);
    }

    [Fact]
    public void Add_OtherFragmentCount_RestartsThePartialMessage()
    {
        var assembler = new FrameAssembler(clock: _clock);
        Add(assembler, Frames(Bytes(600, 5), 9, 1)[0], out _);

        var other = Frames(Bytes(300, 6), 9, 1);
        Assert.Equal(AssemblyStatus.Restarted, Add(assembler, other[0], out _));
        Assert.Equal(AssemblyStatus.Completed, Add(assembler, other[1], out var message));
        Assert.Equal(Bytes(300, 6), message);
    }

    [Fact]
    public void Partials_ExpireAfterTheirLifetime()
    {
        var assembler = new FrameAssembler(new FrameAssemblerOptions { PartialLifetime = TimeSpan.FromMinutes(5) }, _clock);
        Add(assembler, Frames(Bytes(600, 7), 11, 1)[1], out _);

        var partial = Assert.Single(assembler.Partials());
        Assert.Equal((11u, 3, (ushort)0b101), (partial.MessageId, partial.Count, partial.MissingFragments));

        _clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Empty(assembler.Partials());
    }

    [Fact]
    public void Add_MorePartialMessagesThanTheLimit_DropsTheIdlest()
    {
        var assembler = new FrameAssembler(new FrameAssemblerOptions { MaxPendingMessages = 4 }, _clock);
        for (uint id = 1; id <= 10; id++)
        {
            Add(assembler, Frames(Bytes(300, (int)id), id, 0)[0], out _);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(4, assembler.PendingCount);
        Assert.Equal([7u, 8, 9, 10], assembler.Partials().Select(p => p.MessageId).Order().ToArray());
    }

    [Fact]
    public void Add_CompletedMemoryIsBounded()
    {
        var assembler = new FrameAssembler(new FrameAssemblerOptions { CompletedMemory = 3 }, _clock);
        for (uint id = 1; id <= 5; id++)
        {
            Add(assembler, Frames(Bytes(10, (int)id), id, 0)[0], out _);
        }

        Assert.False(assembler.IsCompleted(1));
        Assert.True(assembler.IsCompleted(5));
    }

    internal static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    internal static byte[][] Frames(byte[] message, uint id, int hops)
    {
        Assert.True(MeshFrameCodec.TryFragment(message, id, hops, Radio.RadioLinkDefaults.MaxPayloadSize, out var frames));
        return frames;
    }

    private static AssemblyStatus Add(FrameAssembler assembler, byte[] payload, out byte[]? message)
    {
        Assert.Equal(MeshFrameError.None, MeshFrameCodec.TryRead(payload, out var frame));
        return assembler.Add(frame, out message, out _);
    }
}
