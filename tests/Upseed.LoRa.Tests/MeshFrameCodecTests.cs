using FsCheck;
using FsCheck.Fluent;
using Upseed.LoRa.Frames;
using Upseed.LoRa.Radio;

namespace Upseed.LoRa.Tests;

public class MeshFrameCodecTests
{
    [Fact]
    public void Fragment_ThenRead_GivesTheHeaderBackAndEachFitsOnePayload()
    {
        var message = Enumerable.Range(0, 400).Select(i => (byte)i).ToArray();

        Assert.True(MeshFrameCodec.TryFragment(message, 0xA1B2C3D4, hops: 9, RadioLinkDefaults.MaxPayloadSize, out var frames));

        Assert.Equal(2, frames.Length);
        for (var i = 0; i < frames.Length; i++)
        {
            Assert.InRange(frames[i].Length, 1, RadioLinkDefaults.MaxPayloadSize);
            Assert.Equal(MeshFrameError.None, MeshFrameCodec.TryRead(frames[i], out var frame));
            Assert.Equal((MeshFrameType.RecordFragment, 9, 0xA1B2C3D4u, i, 2), (frame.Type, frame.Hops, frame.MessageId, frame.Index, frame.Count));
        }

        Assert.Equal([0x19, 0xA1, 0xB2, 0xC3, 0xD4, 0x01], frames[0][..6]); // type 1, hops 9 | id | index 0, count 2
        Assert.Equal(200, frames[0].Length - MeshFrameCodec.FragmentHeaderSize); // near-equal halves
    }

    [Fact]
    public void FragmentRange_CoversTheMessageExactlyOnce()
    {
        Prop.ForAll<ushort, byte>((length, countSeed) =>
        {
            var count = 1 + (countSeed % MeshFrameCodec.MaxFragments);
            var messageLength = count + length;
            var next = 0;
            for (var i = 0; i < count; i++)
            {
                var (offset, size) = MeshFrameCodec.FragmentRange(messageLength, count, i);
                if (offset != next || size < 1)
                {
                    return false;
                }

                next += size;
            }

            return next == messageLength;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void TryFragment_TooLongForSixteenFrames_Refused()
    {
        Assert.False(MeshFrameCodec.TryFragment(new byte[17 * 225], 1, 0, RadioLinkDefaults.MaxPayloadSize, out _));
        Assert.True(MeshFrameCodec.TryFragment(new byte[16 * 225], 1, 0, RadioLinkDefaults.MaxPayloadSize, out var frames));
        Assert.Equal(16, frames.Length);
    }

    [Fact]
    public void HaveAndWant_RoundTrip()
    {
        var have = MeshFrameCodec.EncodeHave([1u, 0xDEADBEEF, 7], RadioLinkDefaults.MaxPayloadSize);
        var want = MeshFrameCodec.EncodeWant([new WantEntry(5, 0b10), new WantEntry(9, WantEntry.WholeMessage)], RadioLinkDefaults.MaxPayloadSize);

        Assert.Equal(MeshFrameError.None, MeshFrameCodec.TryRead(have, out var haveFrame));
        Assert.Equal(MeshFrameError.None, MeshFrameCodec.TryRead(want, out var wantFrame));

        Assert.Equal([1u, 0xDEADBEEF, 7], MeshFrameCodec.ReadHave(haveFrame));
        Assert.Equal([new WantEntry(5, 0b10), new WantEntry(9, WantEntry.WholeMessage)], MeshFrameCodec.ReadWant(wantFrame));
    }

    [Fact]
    public void EncodeHave_MoreIdsThanFit_KeepsTheFirstOnes()
    {
        var ids = Enumerable.Range(0, 100).Select(i => (uint)i).ToArray();

        var have = MeshFrameCodec.EncodeHave(ids, RadioLinkDefaults.MaxPayloadSize);

        Assert.True(have.Length <= RadioLinkDefaults.MaxPayloadSize);
        Assert.Equal(MeshFrameError.None, MeshFrameCodec.TryRead(have, out var frame));
        Assert.Equal(ids[..57], MeshFrameCodec.ReadHave(frame));
    }

    [Theory]
    [InlineData(new byte[0], MeshFrameError.TooShort)]
    [InlineData(new byte[] { 0x00, 1, 2, 3, 4, 5, 6 }, MeshFrameError.UnknownType)]
    [InlineData(new byte[] { 0x13, 1, 2, 3, 4, 0x01 }, MeshFrameError.TooShort)] // header only
    [InlineData(new byte[] { 0x13, 1, 2, 3, 4, 0x21, 9 }, MeshFrameError.Malformed)] // index 2 of 2
    [InlineData(new byte[] { 0x21, 1, 2, 3, 4 }, MeshFrameError.Malformed)] // have with a hop nibble
    [InlineData(new byte[] { 0x20, 1, 2, 3, 4, 5 }, MeshFrameError.Malformed)] // 5 bytes of ids
    [InlineData(new byte[] { 0x30 }, MeshFrameError.TooShort)] // a want for nothing
    [InlineData(new byte[] { 0x30, 1, 2, 3, 4, 5 }, MeshFrameError.TooShort)]
    public void TryRead_Noise_ReturnsTheError(byte[] payload, MeshFrameError expected)
    {
        Assert.Equal(expected, MeshFrameCodec.TryRead(payload, out _));
    }

    [Fact]
    public void TryRead_LongerThanAnyMeshtasticPayload_TooLong()
    {
        Assert.Equal(MeshFrameError.TooLong, MeshFrameCodec.TryRead(new byte[234], out _));
    }
}
