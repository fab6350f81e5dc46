using System.Buffers;
using System.Text;
using Upseed.Metainfo;
using Upseed.Torrent.Wire;

namespace Upseed.Torrent.Tests.Wire;

public class HandshakeTests
{
    private static readonly InfoHash s_infoHash = new(Convert.FromHexString("0123456789abcdef0123456789abcdef01234567"));
    private static readonly PeerId s_peerId = new("-US0001-abcdefghijkl"u8);

    // BEP 3: 19, "BitTorrent protocol", 8 reserved bytes, info-hash, peer id. Reserved byte 5 = 0x10 (BEP 10) and
    // byte 7 = 0x01 | 0x04 (BEP 5 DHT, BEP 6 Fast).
    private static readonly byte[] s_golden = Convert.FromHexString(
        "13" + Convert.ToHexString("BitTorrent protocol"u8)
        + "0000000000100005"
        + "0123456789abcdef0123456789abcdef01234567"
        + Convert.ToHexString("-US0001-abcdefghijkl"u8));

    [Fact]
    public void WriteTo_AllExtensions_WritesBep3Layout()
    {
        var handshake = new Handshake(Handshake.ReservedBits(extensionProtocol: true, dht: true, fast: true), s_infoHash, s_peerId);
        var bytes = new byte[Handshake.Size];

        handshake.WriteTo(bytes);

        Assert.Equal(s_golden, bytes);
    }

    [Fact]
    public void TryRead_Golden_ReadsEveryField()
    {
        var status = Handshake.TryRead(s_golden, out var handshake, out var error);

        Assert.Equal(OperationStatus.Done, status);
        Assert.Null(error);
        Assert.Equal(0x0000000000100005UL, handshake.Reserved);
        Assert.Equal(s_infoHash, handshake.InfoHash);
        Assert.Equal(s_peerId, handshake.PeerId);
        Assert.True(handshake.SupportsExtensionProtocol);
        Assert.True(handshake.SupportsDht);
        Assert.True(handshake.SupportsFastExtension);
    }

    [Theory]
    [InlineData(false, false, false, 0x0000000000000000UL)]
    [InlineData(true, false, false, 0x0000000000100000UL)] // BEP 10: reserved[5] & 0x10
    [InlineData(false, true, false, 0x0000000000000001UL)] // BEP 5: reserved[7] & 0x01
    [InlineData(false, false, true, 0x0000000000000004UL)] // BEP 6: reserved[7] & 0x04
    public void ReservedBits_EachExtension_SetsItsBitAndFlagReadsIt(bool extension, bool dht, bool fast, ulong expected)
    {
        var reserved = Handshake.ReservedBits(extension, dht, fast);
        var handshake = new Handshake(reserved, s_infoHash, s_peerId);

        Assert.Equal(expected, reserved);
        Assert.Equal(extension, handshake.SupportsExtensionProtocol);
        Assert.Equal(dht, handshake.SupportsDht);
        Assert.Equal(fast, handshake.SupportsFastExtension);
    }

    [Fact]
    public void Flags_OtherReservedBitsSet_AreNotMistakenForExtensions()
    {
        // Every bit except the three known ones: e.g. Azureus messaging (reserved[0] & 0x80) and libtorrent's v2 bit.
        var handshake = new Handshake(~Handshake.ReservedBits(true, true, true), s_infoHash, s_peerId);

        Assert.False(handshake.SupportsExtensionProtocol);
        Assert.False(handshake.SupportsDht);
        Assert.False(handshake.SupportsFastExtension);
    }

    [Fact]
    public void TryRead_EveryProperPrefix_ReturnsNeedMoreData()
    {
        for (var length = 0; length < Handshake.Size; length++)
        {
            var status = Handshake.TryRead(s_golden.AsSpan(0, length), out _, out var error);

            Assert.True(status == OperationStatus.NeedMoreData, $"{length} bytes gave {status} ({error})");
            Assert.Null(error);
        }
    }

    [Fact]
    public void TryRead_MessageBytesFollow_ReadsOnlyTheHandshake()
    {
        byte[] input = [.. s_golden, 0, 0, 0, 1, 2]; // an interested message right behind

        Assert.Equal(OperationStatus.Done, Handshake.TryRead(input, out var handshake, out _));
        Assert.Equal(s_peerId, handshake.PeerId);
    }

    [Theory]
    [InlineData("GET / HTTP/1.1\r\n")] // someone speaking HTTP
    [InlineData("\u0012BitTorrent protoco")] // wrong length byte
    [InlineData("\u0000")]
    public void TryRead_WrongFirstByte_ReturnsInvalidDataAtOnce(string start)
    {
        var status = Handshake.TryRead(Encoding.Latin1.GetBytes(start), out _, out var error);

        Assert.Equal(OperationStatus.InvalidData, status);
        Assert.Contains("19", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_ProtocolStringDiffers_ReturnsInvalidDataAtTheFirstWrongByte()
    {
        var input = (byte[])s_golden.Clone();
        input[11] = (byte)'P'; // "BitTorrent Protocol"

        Assert.Equal(OperationStatus.NeedMoreData, Handshake.TryRead(input.AsSpan(0, 11), out _, out _));
        Assert.Equal(OperationStatus.InvalidData, Handshake.TryRead(input.AsSpan(0, 12), out _, out var error));
        Assert.Contains("BitTorrent protocol", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_MseEncryptedStart_ReturnsInvalidData()
    {
        // An MSE/PE handshake starts with 96 random Diffie-Hellman bytes; this codec does not speak it.
        var random = new Random(3);
        var input = new byte[Handshake.Size];
        do
        {
            random.NextBytes(input);
        }
        while (input[0] == 19);

        Assert.Equal(OperationStatus.InvalidData, Handshake.TryRead(input, out _, out _));
    }

    [Fact]
    public void TryReadHeader_First48Bytes_ReadsReservedAndInfoHash()
    {
        for (var length = 0; length < Handshake.HeaderSize; length++)
        {
            Assert.Equal(OperationStatus.NeedMoreData, Handshake.TryReadHeader(s_golden.AsSpan(0, length), out _, out _, out _));
        }

        var status = Handshake.TryReadHeader(s_golden.AsSpan(0, Handshake.HeaderSize), out var reserved, out var infoHash, out var error);

        Assert.Equal(OperationStatus.Done, status);
        Assert.Null(error);
        Assert.Equal(0x0000000000100005UL, reserved);
        Assert.Equal(s_infoHash, infoHash);
    }

    [Fact]
    public void TryReadHeader_BadProtocol_ReturnsInvalidData()
    {
        Assert.Equal(OperationStatus.InvalidData, Handshake.TryReadHeader("\u0013BitTorrent Protocol"u8, out _, out _, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void WriteTo_ShortDestination_Throws()
    {
        var handshake = new Handshake(0, s_infoHash, s_peerId);

        Assert.Throws<ArgumentException>(() => handshake.WriteTo(new byte[Handshake.Size - 1]));
    }

    [Fact]
    public void WriteTo_DefaultPeerId_Throws()
    {
        var handshake = new Handshake(0, s_infoHash, default);

        Assert.Throws<InvalidOperationException>(() => handshake.WriteTo(new byte[Handshake.Size]));
    }

    [Fact]
    public void RoundTrip_RandomHandshakes_ReadBackEqual()
    {
        var random = new Random(68);
        var bytes = new byte[Handshake.Size];
        for (var i = 0; i < 500; i++)
        {
            var hash = new byte[InfoHash.Size];
            var id = new byte[PeerId.Size];
            random.NextBytes(hash);
            random.NextBytes(id);
            var handshake = new Handshake((ulong)random.NextInt64() ^ ((ulong)random.Next(2) << 63), new InfoHash(hash), new PeerId(id));

            handshake.WriteTo(bytes);

            Assert.Equal(OperationStatus.Done, Handshake.TryRead(bytes, out var read, out _));
            Assert.Equal(handshake, read);
        }
    }
}
