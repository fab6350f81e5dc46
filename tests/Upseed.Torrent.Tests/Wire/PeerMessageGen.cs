using FsCheck;
using FsCheck.Fluent;
using Upseed.Torrent.Wire;

namespace Upseed.Torrent.Tests.Wire;

/// <summary>FsCheck generators for every peer message, with values up to the edges the reader accepts.</summary>
internal static class PeerMessageGen
{
    /// <summary>Fixed FsCheck seed (SplitMix seed and odd gamma), so every run checks the same cases.</summary>
    public const ulong Seed = 0x5EED_0000_0000_0020;
    public const ulong Gamma = 0x9E37_79B9_7F4A_7C15;

    private static readonly Gen<int> NonNegative =
        Gen.Frequency((3, Gen.Choose(0, 1000)), (1, Gen.Elements(0, 1, 0x4000, int.MaxValue - 1, int.MaxValue)), (2, Gen.Choose(0, int.MaxValue)));

    private static readonly Gen<int> BlockLength = Gen.Frequency((3, Gen.Constant(0x4000)), (1, Gen.Choose(0, 0x4000)));

    private static readonly Gen<byte> AnyByte = Gen.Choose(0, 255).Select(b => (byte)b);

    private static readonly Gen<byte[]> Bytes =
        Gen.Frequency((4, Gen.Choose(0, 40)), (1, Gen.Choose(41, 0x4000))).SelectMany(n => Gen.ArrayOf(AnyByte, n));

    private static readonly Gen<(int Piece, int Begin, int Length)> Block =
        from piece in NonNegative
        from begin in NonNegative
        from length in BlockLength
        select (piece, begin, length);

    private static readonly byte[] s_unknownIds =
        [.. Enumerable.Range(0, 256).Select(i => (byte)i).Where(id => id is 10 or 11 or 12 or 18 or 19 or > 20)];

    public static Gen<PeerMessage> Message { get; } = Gen.OneOf(
        Gen.Elements<PeerMessage>(
            KeepAliveMessage.Instance, ChokeMessage.Instance, UnchokeMessage.Instance, InterestedMessage.Instance,
            NotInterestedMessage.Instance, HaveAllMessage.Instance, HaveNoneMessage.Instance),
        NonNegative.Select(i => (PeerMessage)new HaveMessage(i)),
        NonNegative.Select(i => (PeerMessage)new SuggestPieceMessage(i)),
        NonNegative.Select(i => (PeerMessage)new AllowedFastMessage(i)),
        Block.Select(b => (PeerMessage)new RequestMessage(b.Piece, b.Begin, b.Length)),
        Block.Select(b => (PeerMessage)new CancelMessage(b.Piece, b.Begin, b.Length)),
        Block.Select(b => (PeerMessage)new RejectRequestMessage(b.Piece, b.Begin, b.Length)),
        Gen.Zip(Gen.Zip(NonNegative, NonNegative), Bytes).Select(t => (PeerMessage)new PieceMessage(t.Item1.Item1, t.Item1.Item2, t.Item2)),
        Bytes.Select(b => (PeerMessage)new BitfieldMessage(b)),
        Gen.Choose(0, ushort.MaxValue).Select(p => (PeerMessage)new PortMessage((ushort)p)),
        Gen.Zip(AnyByte, Bytes).Select(t => (PeerMessage)new ExtendedMessage(t.Item1, t.Item2)),
        Gen.Elements(s_unknownIds).Select(id => (PeerMessage)new UnknownMessage(id)));

    public static Arbitrary<PeerMessage> Messages { get; } = Arb.From(Message);

    public static Arbitrary<PeerMessage[]> Streams { get; } =
        Arb.From(Gen.Choose(0, 12).SelectMany(n => Gen.ArrayOf(Message, n)));

    public static Config Config(int maxTest) =>
        FsCheck.Config.QuickThrowOnFailure.WithMaxTest(maxTest).WithReplay(Seed, Gamma);
}
