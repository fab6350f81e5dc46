using System.Buffers;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Upseed.Bencode.Tests;

/// <summary>TryDecodePrefix fed every prefix of a message, as a stream delivers it (STYLE rule 4 and 11).</summary>
public class BencodeDecoderSegmentationTests
{
    public static TheoryData<string> Messages() =>
    [
        "4:spam",
        "0:",
        "i-3e",
        "i-9223372036854775808e",
        "le",
        "de",
        "l4:spam4:eggse",
        "d3:cow3:moo4:spaml1:a1:bee",
        "d1:ad1:bd1:cli1ei-2e0:eeee",
        "d8:completei5e10:incompletei3e8:intervali1800e5:peers12:abcdefghijkle", // a tracker response (BEP 3, 23)
    ];

    [Theory]
    [MemberData(nameof(Messages))]
    public void TryDecodePrefix_EveryProperPrefix_ReturnsNeedMoreData(string message)
    {
        var bytes = Encoding.ASCII.GetBytes(message);
        for (var length = 0; length < bytes.Length; length++)
        {
            var status = BencodeDecoder.TryDecodePrefix(bytes.AsMemory(0, length), out var value, out var consumed, out var error);

            Assert.True(status == OperationStatus.NeedMoreData, $"prefix of {length} bytes gave {status} ({error?.Message})");
            Assert.Null(value);
            Assert.Null(error);
            Assert.Equal(0, consumed);
        }
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void TryDecodePrefix_WholeMessage_ReturnsDoneWithItsLength(string message)
    {
        var bytes = Encoding.ASCII.GetBytes(message);

        var status = BencodeDecoder.TryDecodePrefix(bytes, out var value, out var consumed, out var error);

        Assert.Equal(OperationStatus.Done, status);
        Assert.Null(error);
        Assert.Equal(bytes.Length, consumed);
        Assert.Equal(bytes, value!.Encode());
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void TryDecodePrefix_MessageWithNextOneBehindIt_ConsumesOnlyTheFirst(string message)
    {
        var bytes = Encoding.ASCII.GetBytes(message + "d1:xi1ee" + "i7");

        var status = BencodeDecoder.TryDecodePrefix(bytes, out var value, out var consumed, out _);

        Assert.Equal(OperationStatus.Done, status);
        Assert.Equal(message.Length, consumed);
        Assert.Equal(message, Encoding.ASCII.GetString(value!.Raw.Span));
    }

    [Fact]
    public void TryDecodePrefix_StreamSplitAtEveryBoundary_YieldsEachMessageOnce()
    {
        // Three messages back to back, delivered in two reads split at every byte; a reader keeps unconsumed bytes.
        string[] messages = ["d1:ai1ee", "l4:spami-1ee", "0:"];
        var stream = Encoding.ASCII.GetBytes(string.Concat(messages));

        for (var split = 0; split <= stream.Length; split++)
        {
            var received = new List<string>();
            var pending = new List<byte>();
            foreach (var read in new[] { stream[..split], stream[split..] })
            {
                pending.AddRange(read);
                while (true)
                {
                    var buffer = pending.ToArray();
                    var status = BencodeDecoder.TryDecodePrefix(buffer, out var value, out var consumed, out var error);
                    if (status == OperationStatus.NeedMoreData)
                    {
                        break;
                    }

                    Assert.True(status == OperationStatus.Done, $"split {split}: {error?.Message}");
                    received.Add(Encoding.ASCII.GetString(value!.Raw.Span));
                    pending.RemoveRange(0, consumed);
                }
            }

            Assert.Equal(messages, received);
            Assert.Empty(pending);
        }
    }

    [Fact]
    public void TryDecodePrefix_EveryPrefixOfRandomTree_ReturnsNeedMoreDataThenDone()
    {
        Prop.ForAll(BValueGen.Samples, sample =>
        {
            var bytes = sample.Value.Encode();
            for (var length = 0; length < bytes.Length; length++)
            {
                Assert.Equal(OperationStatus.NeedMoreData, BencodeDecoder.TryDecodePrefix(bytes.AsMemory(0, length), out _, out _, out _));
            }

            Assert.Equal(OperationStatus.Done, BencodeDecoder.TryDecodePrefix(bytes, out _, out var consumed, out _));
            Assert.Equal(bytes.Length, consumed);
        }).Check(BValueGen.Config(200));
    }

    [Theory]
    [InlineData("i03", BencodeError.LeadingZero)] // malformed already, whatever follows
    [InlineData("d1:bi1e1:a", BencodeError.UnsortedKeys)]
    [InlineData("lx", BencodeError.UnexpectedByte)]
    [InlineData("2000000:", BencodeError.StringTooLong)] // a promised string over the limit is not waited for
    public void TryDecodePrefix_MalformedPrefix_ReturnsInvalidDataWithError(string input, BencodeError expected)
    {
        var status = BencodeDecoder.TryDecodePrefix(Encoding.ASCII.GetBytes(input), out var value, out var consumed, out var error);

        Assert.Equal(OperationStatus.InvalidData, status);
        Assert.Null(value);
        Assert.Equal(0, consumed);
        Assert.Equal(expected, error!.Error);
    }

    [Theory]
    [InlineData("li1ei2e")] // 7 bytes, incomplete, the limit not reached
    [InlineData("3:ab")]
    public void TryDecodePrefix_IncompleteUnderMaxMessageSize_ReturnsNeedMoreData(string input)
    {
        var options = new BencodeOptions { MaxMessageSize = 8 };

        var status = BencodeDecoder.TryDecodePrefix(Encoding.ASCII.GetBytes(input), out _, out _, out _, options);

        Assert.Equal(OperationStatus.NeedMoreData, status);
    }

    [Theory]
    [InlineData("li1ei2ei")] // 8 bytes, incomplete: any completion would be over the limit
    [InlineData("li1ei2ei3ei4ee")] // more than the limit buffered, still incomplete within it
    [InlineData("7:abc")] // the header alone promises more than the limit
    public void TryDecodePrefix_IncompleteAtMaxMessageSize_ReturnsMessageTooLarge(string input)
    {
        var options = new BencodeOptions { MaxMessageSize = 8 };

        var status = BencodeDecoder.TryDecodePrefix(Encoding.ASCII.GetBytes(input), out _, out _, out var error, options);

        Assert.Equal(OperationStatus.InvalidData, status);
        Assert.Equal(BencodeError.MessageTooLarge, error!.Error);
    }

    [Fact]
    public void Decode_HundredThousandOpenLists_ThrowsDepthExceeded()
    {
        var input = new byte[100_000];
        input.AsSpan().Fill((byte)'l');

        var ex = Assert.Throws<BencodeException>(() => BencodeDecoder.Decode(input));
        var status = BencodeDecoder.TryDecodePrefix(input, out _, out _, out var error);

        Assert.Equal(BencodeError.DepthExceeded, ex.Error);
        Assert.Equal(OperationStatus.InvalidData, status);
        Assert.Equal(BencodeError.DepthExceeded, error!.Error);
    }

    [Fact]
    public void Decode_NestingPastTheStackWithNoDepthLimit_ThrowsDepthExceeded()
    {
        // A caller that lifts every limit still gets an exception, not a crashed process: run on a 256 KiB stack
        // with a million nested lists, far more than that stack holds.
        var input = new byte[2_000_000];
        input.AsSpan(0, 1_000_000).Fill((byte)'l');
        input.AsSpan(1_000_000).Fill((byte)'e');
        var options = new BencodeOptions { MaxDepth = int.MaxValue, MaxValues = int.MaxValue };
        Exception? caught = null;

        var thread = new Thread(
            () =>
            {
                try
                {
                    BencodeDecoder.Decode(input, options);
                }
                catch (Exception ex)
                {
                    caught = ex;
                }
            },
            maxStackSize: 256 * 1024);
        thread.Start();
        thread.Join();

        Assert.Equal(BencodeError.DepthExceeded, Assert.IsType<BencodeException>(caught).Error);
    }
}
