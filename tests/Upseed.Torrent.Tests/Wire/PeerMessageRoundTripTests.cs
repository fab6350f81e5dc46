using System.Buffers;
using System.IO.Pipelines;
using FsCheck;
using FsCheck.Fluent;
using Upseed.Torrent.Wire;

namespace Upseed.Torrent.Tests.Wire;

public class PeerMessageRoundTripTests
{
    [Fact]
    public void WriteThenRead_AnyMessage_GivesItBackAndConsumesAllBytes()
    {
        Prop.ForAll(PeerMessageGen.Messages, message =>
        {
            var bytes = Write(message);
            var buffer = new ReadOnlySequence<byte>(bytes);

            var status = PeerMessageReader.TryRead(ref buffer, PeerWireOptions.Default, out var read, out var error);

            Assert.True(status == OperationStatus.Done, $"{status} {error}");
            Assert.Equal(message, read);
            Assert.True(buffer.IsEmpty);
        }).Check(PeerMessageGen.Config(1000));
    }

    [Fact]
    public async Task PipeTransport_StreamOfMessages_ArrivesInOrder()
    {
        // The framing a session uses: messages written into one end of an in-memory pipe, read from the other as they
        // arrive, with the reader examining everything and consuming only whole messages.
        var sent = Enumerable.Range(0, 20).SelectMany(i => PeerMessageCases.All.Select(c => c.Message)).ToList();
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0, minimumSegmentSize: 64));

        var writing = Task.Run(async () =>
        {
            foreach (var message in sent)
            {
                PeerMessageWriter.Write(pipe.Writer, message);
                await pipe.Writer.FlushAsync();
            }

            await pipe.Writer.CompleteAsync();
        });

        var received = new List<PeerMessage>();
        while (true)
        {
            var result = await pipe.Reader.ReadAsync();
            var buffer = result.Buffer;
            OperationStatus status;
            while ((status = PeerMessageReader.TryRead(ref buffer, PeerWireOptions.Default, out var message, out var error)) == OperationStatus.Done)
            {
                received.Add(message!);
            }

            Assert.Equal(OperationStatus.NeedMoreData, status);
            pipe.Reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted)
            {
                Assert.True(buffer.IsEmpty);
                break;
            }
        }

        await pipe.Reader.CompleteAsync();
        await writing;
        Assert.Equal(sent, received);
    }

    [Fact]
    public void Write_WriterWithTinySpans_GivesTheSameBytes()
    {
        foreach (var (name, message, hex) in PeerMessageCases.All)
        {
            var writer = new TinySpanWriter();

            PeerMessageWriter.Write(writer, message);

            Assert.True(PeerMessageCases.Bytes(hex).AsSpan().SequenceEqual(writer.Written), name);
        }
    }

    [Fact]
    public void Write_NegativeValues_Throw()
    {
        var writer = new ArrayBufferWriter<byte>();

        Assert.Throws<ArgumentException>(() => PeerMessageWriter.Write(writer, new HaveMessage(-1)));
        Assert.Throws<ArgumentException>(() => PeerMessageWriter.Write(writer, new RequestMessage(0, -1, 16384)));
        Assert.Throws<ArgumentException>(() => PeerMessageWriter.Write(writer, new RejectRequestMessage(0, 0, -1)));
        Assert.ThrowsAny<ArgumentException>(() => PeerMessageWriter.Write(writer, new PieceMessage(-1, 0, default)));
        Assert.ThrowsAny<ArgumentException>(() => PeerMessageWriter.WritePieceHeader(new byte[13], 0, 0, -1));
        Assert.Throws<ArgumentException>(() => PeerMessageWriter.WritePieceHeader(new byte[12], 0, 0, 1));
        Assert.Equal(0, writer.WrittenCount);
    }

    private static byte[] Write(PeerMessage message)
    {
        var writer = new ArrayBufferWriter<byte>();
        PeerMessageWriter.Write(writer, message);
        return writer.WrittenSpan.ToArray();
    }

    // Hands out spans of exactly the size asked for (one byte when asked for any), so every write that does not ask
    // for its full size up front has to loop.
    private sealed class TinySpanWriter : IBufferWriter<byte>
    {
        private readonly List<byte> _written = [];
        private byte[] _current = [];

        public ReadOnlySpan<byte> Written => _written.ToArray();

        public void Advance(int count) => _written.AddRange(_current.AsSpan(0, count));

        public Memory<byte> GetMemory(int sizeHint = 0) => _current = new byte[Math.Max(1, sizeHint)];

        public Span<byte> GetSpan(int sizeHint = 0) => GetMemory(sizeHint).Span;
    }
}
