using Upseed.Torrent.Wire;

namespace Upseed.Torrent.Tests.Wire;

/// <summary>
/// Every peer message with its bytes, written out by hand from the specs: BEP 3 (ids 0–8, 4-byte big-endian length and
/// integers), BEP 5 (PORT, id 9, 2-byte port), BEP 6 (ids 0x0D–0x11) and BEP 10 (id 20, then the extended id).
/// </summary>
internal static class PeerMessageCases
{
    public static IReadOnlyList<(string Name, PeerMessage Message, string Hex)> All { get; } =
    [
        ("keep-alive", KeepAliveMessage.Instance, "00000000"), // BEP 3: a zero length prefix, no id
        ("choke", ChokeMessage.Instance, "00000001 00"),
        ("unchoke", UnchokeMessage.Instance, "00000001 01"),
        ("interested", InterestedMessage.Instance, "00000001 02"),
        ("not interested", NotInterestedMessage.Instance, "00000001 03"),
        ("have 42", new HaveMessage(42), "00000005 04 0000002a"),
        ("have 2^31-1", new HaveMessage(int.MaxValue), "00000005 04 7fffffff"),
        ("bitfield of 11 pieces, all but the last", new BitfieldMessage(new byte[] { 0xFF, 0xC0 }), "00000003 05 ffc0"),
        ("empty bitfield", new BitfieldMessage(Array.Empty<byte>()), "00000001 05"),
        ("request block 1 of piece 1", new RequestMessage(1, 0x4000, 0x4000), "0000000d 06 00000001 00004000 00004000"),
        ("piece", new PieceMessage(1, 0x4000, "abc"u8.ToArray()), "0000000c 07 00000001 00004000 616263"),
        ("empty piece", new PieceMessage(0, 0, Array.Empty<byte>()), "00000009 07 00000000 00000000"),
        ("cancel", new CancelMessage(1, 0x4000, 0x4000), "0000000d 08 00000001 00004000 00004000"),
        ("port 6881", new PortMessage(6881), "00000003 09 1ae1"), // BEP 5
        ("port 65535", new PortMessage(ushort.MaxValue), "00000003 09 ffff"),
        ("suggest piece 7", new SuggestPieceMessage(7), "00000005 0d 00000007"), // BEP 6
        ("have all", HaveAllMessage.Instance, "00000001 0e"),
        ("have none", HaveNoneMessage.Instance, "00000001 0f"),
        ("reject request", new RejectRequestMessage(1, 0, 0x4000), "0000000d 10 00000001 00000000 00004000"),
        ("allowed fast 9", new AllowedFastMessage(9), "00000005 11 00000009"),
        ("extension handshake 'de'", new ExtendedMessage(0, "de"u8.ToArray()), "00000004 14 00 6465"), // BEP 10
        ("ut_metadata request (BEP 9 example) on id 3", new ExtendedMessage(3, "d8:msg_typei0e5:piecei0ee"u8.ToArray()),
            "0000001b 14 03 " + Convert.ToHexString("d8:msg_typei0e5:piecei0ee"u8)),
        ("extended with empty payload", new ExtendedMessage(255, Array.Empty<byte>()), "00000002 14 ff"),
    ];

    public static byte[] Bytes(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));

    /// <summary>All cases written back to back, as one stream from a peer.</summary>
    public static byte[] Stream() => [.. All.SelectMany(c => Bytes(c.Hex))];
}
