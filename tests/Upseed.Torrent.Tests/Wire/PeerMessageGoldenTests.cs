using System.Buffers;
using Upseed.Torrent.Wire;

namespace Upseed.Torrent.Tests.Wire;

/// <summary>Byte-exact tests for every message, both ways (STYLE rule 11: golden vectors).</summary>
public class PeerMessageGoldenTests
{
    public static TheoryData<string> Names() => [.. PeerMessageCases.All.Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public void Write_EachMessage_ProducesTheSpecBytes(string name)
    {
        var (_, message, hex) = PeerMessageCases.All.Single(c => c.Name == name);
        var writer = new ArrayBufferWriter<byte>();

        PeerMessageWriter.Write(writer, message);

        Assert.Equal(Convert.ToHexStringLower(PeerMessageCases.Bytes(hex)), Convert.ToHexStringLower(writer.WrittenSpan));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void TryRead_EachMessage_ReturnsItAndConsumesExactlyItsBytes(string name)
    {
        var (_, expected, hex) = PeerMessageCases.All.Single(c => c.Name == name);
        byte[] input = [.. PeerMessageCases.Bytes(hex), 0, 0, 0]; // the start of the next message's prefix behind it
        var buffer = new ReadOnlySequence<byte>(input);

        var status = PeerMessageReader.TryRead(ref buffer, PeerWireOptions.Default, out var message, out var error);

        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(PeerWireError.None, error);
        Assert.Equal(expected, message);
        Assert.Equal(expected.MessageId, message!.MessageId);
        Assert.Equal(3, buffer.Length);
    }

    [Fact]
    public void Cases_CoverEveryMessageType()
    {
        var types = typeof(PeerMessage).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(PeerMessage)) && t != typeof(UnknownMessage))
            .ToHashSet();

        Assert.Subset(types, PeerMessageCases.All.Select(c => c.Message.GetType()).ToHashSet());
        Assert.Superset(types, PeerMessageCases.All.Select(c => c.Message.GetType()).ToHashSet());
    }

    [Fact]
    public void WritePieceHeader_Block_MatchesThePieceMessage()
    {
        var header = new byte[PeerMessageIds.PieceHeaderSize];

        PeerMessageWriter.WritePieceHeader(header, pieceIndex: 1, begin: 0x4000, blockLength: 3);

        Assert.Equal(PeerMessageCases.Bytes("0000000c 07 00000001 00004000"), header);
    }

    [Fact]
    public void WritePieceHeader_FullBlock_LengthIs9PlusBlock()
    {
        var header = new byte[PeerMessageIds.PieceHeaderSize];

        PeerMessageWriter.WritePieceHeader(header, pieceIndex: 0, begin: 0, blockLength: 16384);

        Assert.Equal(PeerMessageCases.Bytes("00004009 07 00000000 00000000"), header);
    }

    [Fact]
    public void MessageId_EachType_IsTheSpecId()
    {
        Assert.Null(KeepAliveMessage.Instance.MessageId);
        Assert.Equal((byte)0, ChokeMessage.Instance.MessageId);
        Assert.Equal((byte)7, new PieceMessage(0, 0, default).MessageId);
        Assert.Equal((byte)9, new PortMessage(1).MessageId);
        Assert.Equal((byte)0x11, new AllowedFastMessage(0).MessageId);
        Assert.Equal((byte)20, new ExtendedMessage(0, default).MessageId);
        Assert.Equal((byte)99, new UnknownMessage(99).MessageId);
    }
}
