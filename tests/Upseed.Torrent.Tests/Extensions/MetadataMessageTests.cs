using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Upseed.Torrent.Extensions;

namespace Upseed.Torrent.Tests.Extensions;

public class MetadataMessageTests
{
    private static readonly IReadOnlyDictionary<string, byte[]> s_bep9 = TestVectorFile.Read("bep9-ut-metadata.txt");

    public static TheoryData<string> ValidVectors() => ["request", "data", "reject"];

    [Theory]
    [MemberData(nameof(ValidVectors))]
    public void TryDecodeThenEncode_Bep9Examples_RoundTripByteForByte(string name)
    {
        var payload = s_bep9[name];

        Assert.True(MetadataMessage.TryDecode(payload, out var message, out var error), error);
        Assert.Equal(TestVectorFile.Escape(payload), TestVectorFile.Escape(message.Encode()));
    }

    [Fact]
    public void TryDecode_Bep9Request_IsPieceZero()
    {
        Assert.True(MetadataMessage.TryDecode(s_bep9["request"], out var message, out _));
        Assert.Equal(new MetadataMessage(MetadataMessageType.Request, 0, null, default), message);
    }

    [Fact]
    public void TryDecode_Bep9Data_SplitsDictionaryAndPieceBytes()
    {
        Assert.True(MetadataMessage.TryDecode(s_bep9["data"], out var message, out _));
        Assert.Equal(new MetadataMessage(MetadataMessageType.Data, 0, 34256, "xxxxxxxx"u8.ToArray()), message);
    }

    [Fact]
    public void TryDecode_Bep9Reject_IsReject()
    {
        Assert.True(MetadataMessage.TryDecode(s_bep9["reject"], out var message, out _));
        Assert.Equal(new MetadataMessage(MetadataMessageType.Reject, 0, null, default), message);
    }

    [Fact]
    public void TryDecode_Bep9RejectAsPrinted_IsDataWithoutTotalSize()
    {
        Assert.False(MetadataMessage.TryDecode(s_bep9["reject-as-printed"], out _, out var error));
        Assert.Equal("data message without total_size", error);
    }

    [Theory]
    [InlineData("d8:msg_typei3e5:piecei0ee")]
    [InlineData("d8:msg_typei-1e5:piecei0ee")]
    [InlineData("d8:msg_typei9223372036854775807e5:piecei0ee")]
    public void TryDecode_UnknownMsgType_ReportsTheErrorSessionsIgnore(string payload)
    {
        // BEP 9: "an unrecognized message ID MUST be ignored".
        Assert.False(MetadataMessage.TryDecode(Encoding.ASCII.GetBytes(payload), out _, out var error));
        Assert.Equal(MetadataMessage.UnknownMessageTypeError, error);
    }

    [Fact]
    public void TryDecode_KeysInAnotherClientsOrder_AreAccepted()
    {
        Assert.True(MetadataMessage.TryDecode("d5:piecei2e8:msg_typei0ee"u8.ToArray(), out var message, out var error), error);
        Assert.Equal(new MetadataMessage(MetadataMessageType.Request, 2, null, default), message);
    }

    [Fact]
    public void TryDecode_FullPiece_IsAcceptedAndOneMoreByteIsNot()
    {
        var head = "d8:msg_typei1e5:piecei0e10:total_sizei20000ee"u8.ToArray();
        byte[] full = [.. head, .. new byte[MetadataMessage.PieceSize]];
        byte[] over = [.. full, 0];

        Assert.True(MetadataMessage.TryDecode(full, out var message, out _));
        Assert.Equal(MetadataMessage.PieceSize, message.Data.Length);
        Assert.False(MetadataMessage.TryDecode(over, out _, out var error));
        Assert.Equal("metadata piece longer than 16 KiB", error);
    }

    [Fact]
    public void TryDecode_Data_IsASliceOfThePayload()
    {
        var payload = s_bep9["data"];

        Assert.True(MetadataMessage.TryDecode(payload, out var message, out _));
        Assert.True(message.Data.Span.Overlaps(payload));
    }

    [Theory]
    [InlineData("", "ends")] // empty
    [InlineData("d8:msg_typei0e5:piecei0e", "ends")] // truncated dictionary
    [InlineData("i0e", "not a bencoded dictionary")]
    [InlineData("d5:piecei0ee", "msg_type missing")]
    [InlineData("d8:msg_type1:05:piecei0ee", "msg_type missing")] // a string, not an integer
    [InlineData("d8:msg_typei0ee", "piece missing")]
    [InlineData("d8:msg_typei0e5:piecei-1ee", "piece missing")]
    [InlineData("d8:msg_typei0e5:piecei2147483648ee", "piece missing")]
    [InlineData("d8:msg_typei0e5:piece1:0e", "piece missing")]
    [InlineData("d8:msg_typei1e5:piecei0e10:total_sizei-1ee", "total_size")]
    [InlineData("d8:msg_typei1e5:piecei0e10:total_size3:abcee", "total_size")]
    [InlineData("d8:msg_typei0e5:piecei0eexx", "bytes after a request")]
    [InlineData("d8:msg_typei2e5:piecei0eex", "bytes after a request or reject")]
    [InlineData("d8:msg_typei0e5:piecei0e5:piecei1ee", "duplicate key")]
    public void TryDecode_Malformed_FailsWithAReason(string payload, string reason)
    {
        Assert.False(MetadataMessage.TryDecode(Encoding.ASCII.GetBytes(payload), out var message, out var error));
        Assert.Null(message);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Encode_Request_WritesTheBep9Example()
    {
        Assert.Equal("d8:msg_typei0e5:piecei0ee", Encoding.ASCII.GetString(new MetadataMessage(MetadataMessageType.Request, 0, null, default).Encode()));
    }

    [Fact]
    public void Encode_RejectWithTotalSize_KeepsIt()
    {
        var message = new MetadataMessage(MetadataMessageType.Reject, 5, 100, default);

        Assert.Equal("d8:msg_typei2e5:piecei5e10:total_sizei100ee", Encoding.ASCII.GetString(message.Encode()));
    }

    public static TheoryData<MetadataMessage> Unencodable() =>
    [
        new MetadataMessage((MetadataMessageType)3, 0, null, default),
        new MetadataMessage(MetadataMessageType.Request, -1, null, default),
        new MetadataMessage(MetadataMessageType.Data, 0, null, new byte[1]),
        new MetadataMessage(MetadataMessageType.Data, 0, -1, new byte[1]),
        new MetadataMessage(MetadataMessageType.Data, 0, 20000, new byte[MetadataMessage.PieceSize + 1]),
        new MetadataMessage(MetadataMessageType.Reject, 0, null, new byte[1]),
    ];

    [Theory]
    [MemberData(nameof(Unencodable))]
    public void Encode_MessageDecodingWouldRefuse_Throws(MetadataMessage message)
    {
        Assert.Throws<InvalidOperationException>(message.Encode);
    }

    [Fact]
    public void EncodeThenDecode_AnyMessage_GivesItBack()
    {
        Prop.ForAll(ExtensionGen.MetadataMessages, message =>
        {
            Assert.True(MetadataMessage.TryDecode(message.Encode(), out var decoded, out var error), error);
            Assert.Equal(message, decoded);
        }).Check(ExtensionGen.Config(500));
    }
}
