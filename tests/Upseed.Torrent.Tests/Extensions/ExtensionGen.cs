using System.Net;
using FsCheck;
using FsCheck.Fluent;
using Upseed.Torrent.Extensions;

namespace Upseed.Torrent.Tests.Extensions;

/// <summary>FsCheck generators for the extension messages, with every value inside what the decoders keep.</summary>
internal static class ExtensionGen
{
    public const ulong Seed = 0x5EED_0000_0000_0010;
    public const ulong Gamma = 0x9E37_79B9_7F4A_7C15;

    private static readonly Gen<byte> AnyByte = Gen.Choose(0, 255).Select(b => (byte)b);

    private static readonly Gen<string> Name =
        Gen.Elements("ut_metadata", "ut_pex", "lt_donthave", "upload_only", "ut_holepunch", "", "µT_PEX", "名前", "a");

    private static readonly Gen<int?> Positive =
        Gen.Frequency((1, Gen.Constant<int?>(null)), (3, Gen.Choose(1, int.MaxValue).Select(i => (int?)i)));

    private static readonly Gen<ReadOnlyMemory<byte>?> YourIp =
        Gen.Frequency(
            (1, Gen.Constant<ReadOnlyMemory<byte>?>(null)),
            (2, Gen.Elements(4, 16).SelectMany(n => Gen.ArrayOf(AnyByte, n)).Select(b => (ReadOnlyMemory<byte>?)b)));

    public static Gen<ExtensionHandshake> Handshake { get; } =
        from names in Gen.ListOf(Gen.Zip(Name, AnyByte))
        from port in Gen.Frequency((1, Gen.Constant<int?>(null)), (3, Gen.Choose(1, 65535).Select(p => (int?)p)))
        from version in Gen.Elements<string?>(null, "", "Upseed 0.1.0", "µTorrent 1.2", "Transmission 3.00", "libtorrent/2.0.8.0")
        from yourIp in YourIp
        from reqq in Positive
        from size in Positive
        select new ExtensionHandshake
        {
            Messages = names.DistinctBy(n => n.Item1).ToDictionary(n => n.Item1, n => n.Item2),
            ListenPort = port,
            ClientVersion = version,
            YourIp = yourIp,
            RequestQueue = reqq,
            MetadataSize = size,
        };

    public static Gen<MetadataMessage> Metadata { get; } =
        from type in Gen.Elements(MetadataMessageType.Request, MetadataMessageType.Data, MetadataMessageType.Reject)
        from piece in Gen.Frequency((3, Gen.Choose(0, 10)), (1, Gen.Choose(0, int.MaxValue)))
        from total in Gen.Frequency((1, Gen.Constant<int?>(null)), (2, Gen.Choose(0, int.MaxValue).Select(i => (int?)i)))
        from length in Gen.Frequency((3, Gen.Choose(0, 64)), (1, Gen.Choose(0, MetadataMessage.PieceSize)))
        from data in Gen.ArrayOf(AnyByte, length)
        select type == MetadataMessageType.Data
            ? new MetadataMessage(type, piece, total ?? length, data)
            : new MetadataMessage(type, piece, total, ReadOnlyMemory<byte>.Empty);

    private static readonly Gen<IPEndPoint> V4 =
        Gen.Zip(Gen.ArrayOf(AnyByte, 4), Gen.Choose(0, 65535)).Select(t => new IPEndPoint(new IPAddress(t.Item1), t.Item2));

    // Never IPv4-mapped, which Encode sends as IPv4 (so it would come back in the other list).
    private static readonly Gen<IPEndPoint> V6 =
        Gen.Zip(Gen.ArrayOf(AnyByte, 16), Gen.Choose(0, 65535))
            .Where(t => !new IPAddress(t.Item1).IsIPv4MappedToIPv6)
            .Select(t => new IPEndPoint(new IPAddress(t.Item1), t.Item2));

    public static Gen<PexMessage> Pex { get; } =
        from added4 in Gen.ListOf(V4)
        from added6 in Gen.ListOf(V6)
        from flags in Gen.ArrayOf(AnyByte, added4.Count + added6.Count)
        from noFlags in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
        from dropped4 in Gen.ListOf(V4)
        from dropped6 in Gen.ListOf(V6)
        select new PexMessage([.. added4, .. added6], noFlags ? [] : flags, [.. dropped4, .. dropped6]);

    public static Arbitrary<ExtensionHandshake> Handshakes { get; } = Arb.From(Handshake);

    public static Arbitrary<MetadataMessage> MetadataMessages { get; } = Arb.From(Metadata);

    public static Arbitrary<PexMessage> PexMessages { get; } = Arb.From(Pex);

    public static Config Config(int maxTest) =>
        FsCheck.Config.QuickThrowOnFailure.WithMaxTest(maxTest).WithReplay(Seed, Gamma);
}
