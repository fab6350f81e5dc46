using System.Buffers;
using Upseed.Torrent.Wire;

namespace Upseed.Torrent.Tests.Wire;

public class PeerMessageReaderTests
{
    [Theory]
    [InlineData("80000000")] // 2^31: over any limit, and negative if read as a signed length
    [InlineData("ffffffff")]
    [InlineData("0001000e")] // 65,550: one over the default limit of 64 KiB + 13
    public void TryRead_LengthPrefixOverLimit_ReturnsInvalidDataFromThePrefixAlone(string prefix)
    {
        var buffer = new ReadOnlySequence<byte>(Convert.FromHexString(prefix));

        var status = PeerMessageReader.TryRead(ref buffer, PeerWireOptions.Default, out var message, out var error);

        Assert.Equal(OperationStatus.InvalidData, status);
        Assert.Equal(PeerWireError.MessageTooLong, error);
        Assert.Null(message);
        Assert.Equal(4, buffer.Length);
    }

    [Fact]
    public void TryRead_LengthPrefixAtTheLimit_WaitsForTheBody()
    {
        var buffer = new ReadOnlySequence<byte>(Convert.FromHexString("0001000d14"));

        Assert.Equal(OperationStatus.NeedMoreData, PeerMessageReader.TryRead(ref buffer, PeerWireOptions.Default, out _, out _));
    }

    [Fact]
    public void TryRead_HugeOrPendingLength_AllocatesNothing()
    {
        var huge = new ReadOnlySequence<byte>(Convert.FromHexString("80000000"));
        var pending = new ReadOnlySequence<byte>(Convert.FromHexString("0000400907000000000000"));
        var options = PeerWireOptions.Default with { MaxMessageLength = PeerWireOptions.LargestMessageLength };
        PeerMessageReader.TryRead(ref huge, options, out _, out _); // warm up (JIT)
        PeerMessageReader.TryRead(ref pending, options, out _, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var hugeStatus = PeerMessageReader.TryRead(ref huge, options, out _, out var hugeError);
        var pendingStatus = PeerMessageReader.TryRead(ref pending, options, out _, out _);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(OperationStatus.InvalidData, hugeStatus);
        Assert.Equal(PeerWireError.MessageTooLong, hugeError);
        Assert.Equal(OperationStatus.NeedMoreData, pendingStatus);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void TryRead_CustomLimit_AppliesToTheWholeMessageAfterThePrefix()
    {
        var options = PeerWireOptions.Default with { MaxMessageLength = 5 };
        var have = new ReadOnlySequence<byte>(PeerMessageCases.Bytes("0000000504 00000001"));
        var bitfield = new ReadOnlySequence<byte>(PeerMessageCases.Bytes("0000000605 0000000000"));

        Assert.Equal(OperationStatus.Done, PeerMessageReader.TryRead(ref have, options, out _, out _));
        Assert.Equal(OperationStatus.InvalidData, PeerMessageReader.TryRead(ref bitfield, options, out _, out var error));
        Assert.Equal(PeerWireError.MessageTooLong, error);
    }

    [Theory]
    [InlineData("0000000200ff")] // choke with a payload byte
    [InlineData("0000000104")] // have without an index
    [InlineData("0000000604 0000000100")] // have with 5 bytes
    [InlineData("0000000c06 0000000100004000000040")] // request with 11 bytes
    [InlineData("0000000e06 0000000100004000000040000a")] // request with 13 bytes
    [InlineData("0000000808 00000001000040")] // cancel with 7 bytes
    [InlineData("0000000407 000000")] // piece without begin
    [InlineData("0000000209 1a")] // port with 1 byte
    [InlineData("0000000409 1ae100")] // port with 3 bytes
    [InlineData("0000000114")] // extended without an extended id
    [InlineData("000000020e00")] // have all with a payload
    [InlineData("0000000411 000001")] // allowed fast with 3 bytes
    public void TryRead_PayloadLengthWrongForTheId_ReturnsInvalidDataBeforeTheBodyArrives(string hex)
    {
        var bytes = PeerMessageCases.Bytes(hex);
        var headerOnly = new ReadOnlySequence<byte>(bytes, 0, 5);

        var status = PeerMessageReader.TryRead(ref headerOnly, PeerWireOptions.Default, out var message, out var error);

        Assert.Equal(OperationStatus.InvalidData, status);
        Assert.Equal(PeerWireError.WrongPayloadLength, error);
        Assert.Null(message);
    }

    [Theory]
    [InlineData("0000000d06 00000000 00000000 00004001")] // request 16 KiB + 1 (BEP 3: clients close such connections)
    [InlineData("0000000d08 00000000 00000000 00008000")] // cancel of 32 KiB
    [InlineData("0000000d10 00000000 00000000 00010000")] // reject of 64 KiB
    public void TryRead_BlockLengthOverLimit_ReturnsBlockTooLong(string hex)
    {
        var buffer = new ReadOnlySequence<byte>(PeerMessageCases.Bytes(hex));

        Assert.Equal(OperationStatus.InvalidData, PeerMessageReader.TryRead(ref buffer, PeerWireOptions.Default, out _, out var error));
        Assert.Equal(PeerWireError.BlockTooLong, error);
    }

    [Fact]
    public void TryRead_PieceBlockOverLimit_ReturnsBlockTooLongFromTheHeader()
    {
        // 9 + 16,385: under MaxMessageLength, over MaxBlockLength; refused with only the length and id present.
        var buffer = new ReadOnlySequence<byte>(PeerMessageCases.Bytes("0000400a 07"));

        Assert.Equal(OperationStatus.InvalidData, PeerMessageReader.TryRead(ref buffer, PeerWireOptions.Default, out _, out var error));
        Assert.Equal(PeerWireError.BlockTooLong, error);
    }

    [Fact]
    public void TryRead_FullBlock_IsAccepted()
    {
        var block = new byte[16384];
        new Random(7).NextBytes(block);
        var header = new byte[PeerMessageIds.PieceHeaderSize];
        PeerMessageWriter.WritePieceHeader(header, 3, 16384, block.Length);
        var buffer = SegmentedSequence.Create(header, block);

        Assert.Equal(OperationStatus.Done, PeerMessageReader.TryRead(ref buffer, PeerWireOptions.Default, out var message, out _));
        Assert.Equal(new PieceMessage(3, 16384, block), message);
    }

    [Theory]
    [InlineData("0000000504 80000000")] // have 2^31
    [InlineData("0000000d06 ffffffff 00000000 00004000")] // request with index 2^32 - 1
    [InlineData("0000000d06 00000000 80000000 00004000")] // request with begin 2^31
    [InlineData("0000000d06 00000000 00000000 80000000")] // request with length 2^31 (negative, not "too long")
    [InlineData("0000000a07 00000000 8000000061")] // piece with begin 2^31
    [InlineData("000000050d 80000001")] // suggest piece
    [InlineData("0000000511 ffffffff")] // allowed fast
    public void TryRead_ValueOf2To31OrMore_ReturnsNegativeValue(string hex)
    {
        var buffer = new ReadOnlySequence<byte>(PeerMessageCases.Bytes(hex));

        Assert.Equal(OperationStatus.InvalidData, PeerMessageReader.TryRead(ref buffer, PeerWireOptions.Default, out _, out var error));
        Assert.Equal(PeerWireError.NegativeValue, error);
    }

    [Theory]
    [InlineData("0000000115")] // 21: unassigned
    [InlineData("000000040a 616263")] // 10: unassigned, with a payload
    [InlineData("00000001ff")]
    public void TryRead_UnknownIdIgnored_ReturnsUnknownMessageAndSkipsThePayload(string hex)
    {
        var bytes = PeerMessageCases.Bytes(hex);
        var buffer = new ReadOnlySequence<byte>([.. bytes, 0, 0, 0, 0]);

        var status = PeerMessageReader.TryRead(ref buffer, PeerWireOptions.Default, out var message, out _);

        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(new UnknownMessage(bytes[4]), message);
        Assert.Equal(4, buffer.Length);
    }

    [Fact]
    public void TryRead_UnknownIdRefused_ReturnsUnknownMessageIdBeforeThePayload()
    {
        var options = PeerWireOptions.Default with { IgnoreUnknownMessages = false };
        var buffer = new ReadOnlySequence<byte>(PeerMessageCases.Bytes("000000400a"));

        Assert.Equal(OperationStatus.InvalidData, PeerMessageReader.TryRead(ref buffer, options, out _, out var error));
        Assert.Equal(PeerWireError.UnknownMessageId, error);
    }

    [Fact]
    public void TryRead_UnknownIdOverTheLimit_StillRefused()
    {
        var buffer = new ReadOnlySequence<byte>(PeerMessageCases.Bytes("7fffffff0a"));

        Assert.Equal(OperationStatus.InvalidData, PeerMessageReader.TryRead(ref buffer, PeerWireOptions.Default, out _, out var error));
        Assert.Equal(PeerWireError.MessageTooLong, error);
    }

    [Fact]
    public void TryRead_EveryProperPrefixOfEachMessage_ReturnsNeedMoreDataAndLeavesTheBuffer()
    {
        foreach (var (name, _, hex) in PeerMessageCases.All)
        {
            var bytes = PeerMessageCases.Bytes(hex);
            for (var length = 0; length < bytes.Length; length++)
            {
                var buffer = new ReadOnlySequence<byte>(bytes, 0, length);
                var before = buffer;

                var status = PeerMessageReader.TryRead(ref buffer, PeerWireOptions.Default, out var message, out var error);

                Assert.True(status == OperationStatus.NeedMoreData, $"{name}: {length} bytes gave {status} ({error})");
                Assert.Null(message);
                Assert.Equal(PeerWireError.None, error);
                Assert.Equal(before, buffer);
            }
        }
    }

    [Fact]
    public void TryRead_Payload_IsCopiedOutOfTheBuffer()
    {
        var bytes = PeerMessageCases.Bytes("00000003 05 ffc0");
        var buffer = new ReadOnlySequence<byte>(bytes);

        PeerMessageReader.TryRead(ref buffer, PeerWireOptions.Default, out var message, out _);
        bytes[5] = 0;

        Assert.Equal(new byte[] { 0xFF, 0xC0 }, ((BitfieldMessage)message!).Bits.ToArray());
    }

    [Fact]
    public void Describe_EveryError_HasItsOwnSentence()
    {
        var sentences = Enum.GetValues<PeerWireError>().Select(PeerMessageReader.Describe).ToList();

        Assert.Equal(sentences.Count, sentences.Distinct().Count());
        Assert.DoesNotContain("malformed peer message", sentences);
    }

    [Fact]
    public void TryRead_NullOptions_Throws()
    {
        var buffer = ReadOnlySequence<byte>.Empty;

        Assert.Throws<ArgumentNullException>(() => PeerMessageReader.TryRead(ref buffer, null!, out _, out _));
    }
}
