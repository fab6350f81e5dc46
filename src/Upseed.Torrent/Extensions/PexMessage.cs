using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Upseed.Bencode;

namespace Upseed.Torrent.Extensions;

/// <summary>
/// A ut_pex message (BEP 11): peers the sender connected to (<c>added</c>, with a flag byte each) and disconnected
/// from (<c>dropped</c>) since its last message. IPv4 peers travel as 6-byte compact entries in <c>added</c>,
/// <c>added.f</c> and <c>dropped</c>; IPv6 peers as 18-byte entries in <c>added6</c>, <c>added6.f</c> and
/// <c>dropped6</c>. Here both families share one list each, IPv4 first when decoded. PEX data is untrusted (BEP 11,
/// "Security Considerations"): a session must not connect to every address it is handed.
/// </summary>
/// <param name="Added">Peers connected since the last message.</param>
/// <param name="AddedFlags">One flag byte per entry of <paramref name="Added"/> (the <c>Flag…</c> constants), or empty for none.</param>
/// <param name="Dropped">Peers disconnected since the last message.</param>
public sealed record PexMessage(IReadOnlyList<IPEndPoint> Added, IReadOnlyList<byte> AddedFlags, IReadOnlyList<IPEndPoint> Dropped)
{
    /// <summary>
    /// Entries decoded per list (<c>added</c>, <c>added6</c>, <c>dropped</c>, <c>dropped6</c>); the rest is ignored.
    /// BEP 11 lets a sender list at most 50 added and 50 dropped peers after its first message; the first message
    /// lists current connections, and 200 is more than a client usually keeps per torrent.
    /// </summary>
    public const int MaxPeersPerList = 200;

    /// <summary>BEP 11 flag: the peer prefers encryption (its handshake's <c>e</c>).</summary>
    public const byte FlagPrefersEncryption = 0x01;

    /// <summary>BEP 11 flag: the peer is a seed or upload-only.</summary>
    public const byte FlagSeed = 0x02;

    /// <summary>BEP 11 flag: the peer supports uTP.</summary>
    public const byte FlagUtp = 0x04;

    /// <summary>BEP 11 flag: the peer announced ut_holepunch.</summary>
    public const byte FlagHolepunch = 0x08;

    /// <summary>BEP 11 flag: the sender's connection to the peer was outgoing, so the peer is reachable.</summary>
    public const byte FlagReachable = 0x10;

    private const int CompactIPv4Size = 6;
    private const int CompactIPv6Size = 18;

    /// <summary>
    /// The canonical bencoding. <c>added</c>, <c>added.f</c> and <c>dropped</c> are always written (BEP 11 wants at
    /// least one list); the IPv6 keys only when there are IPv6 peers. IPv4-mapped IPv6 addresses are sent as IPv4.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// <see cref="AddedFlags"/> is neither empty nor as long as <see cref="Added"/>, or an address is neither IPv4 nor IPv6.
    /// </exception>
    public byte[] Encode()
    {
        if (AddedFlags.Count != 0 && AddedFlags.Count != Added.Count)
        {
            throw new InvalidOperationException("AddedFlags needs one byte per added peer (BEP 11), or none.");
        }

        var added4 = new List<byte>();
        var added6 = new List<byte>();
        var flags4 = new List<byte>();
        var flags6 = new List<byte>();
        for (var i = 0; i < Added.Count; i++)
        {
            var v6 = AppendCompact(Added[i], added4, added6);
            (v6 ? flags6 : flags4).Add(AddedFlags.Count == 0 ? (byte)0 : AddedFlags[i]);
        }

        var dropped4 = new List<byte>();
        var dropped6 = new List<byte>();
        foreach (var peer in Dropped)
        {
            AppendCompact(peer, dropped4, dropped6);
        }

        var dictionary = new BDictionary()
            .Set("added", added4.ToArray())
            .Set("added.f", flags4.ToArray())
            .Set("dropped", dropped4.ToArray());
        if (added6.Count > 0)
        {
            dictionary.Set("added6", added6.ToArray()).Set("added6.f", flags6.ToArray());
        }

        if (dropped6.Count > 0)
        {
            dictionary.Set("dropped6", dropped6.ToArray());
        }

        return dictionary.Encode();
    }

    /// <summary>
    /// Decodes an extended message payload. Following libtorrent, lists of the wrong type are ignored, a trailing
    /// partial entry is ignored, flags are used only when there is exactly one per entry (otherwise 0), and each list
    /// stops at <see cref="MaxPeersPerList"/>.
    /// </summary>
    /// <returns><see langword="false"/> with a reason when the payload is not one bencoded dictionary within the limits.</returns>
    public static bool TryDecode(
        ReadOnlyMemory<byte> payload,
        [NotNullWhen(true)] out PexMessage? message,
        [NotNullWhen(false)] out string? error)
    {
        message = null;
        if (!ExtensionBencode.TryDecodeDictionary(payload, wholePayload: true, out var dictionary, out _, out error))
        {
            return false;
        }

        var added = new List<IPEndPoint>();
        var flags = new List<byte>();
        ReadPeers(dictionary, "added"u8, "added.f"u8, CompactIPv4Size, added, flags);
        ReadPeers(dictionary, "added6"u8, "added6.f"u8, CompactIPv6Size, added, flags);
        var dropped = new List<IPEndPoint>();
        ReadPeers(dictionary, "dropped"u8, default, CompactIPv4Size, dropped, null);
        ReadPeers(dictionary, "dropped6"u8, default, CompactIPv6Size, dropped, null);
        message = new PexMessage(added, flags, dropped);
        return true;
    }

    public bool Equals(PexMessage? other) =>
        other is not null
        && Added.SequenceEqual(other.Added)
        && AddedFlags.SequenceEqual(other.AddedFlags)
        && Dropped.SequenceEqual(other.Dropped);

    public override int GetHashCode() => HashCode.Combine(Added.Count, AddedFlags.Count, Dropped.Count);

    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Added = [").AppendJoin(", ", Added).Append(']');
        builder.Append(", AddedFlags = [").AppendJoin(", ", AddedFlags).Append(']');
        builder.Append(", Dropped = [").AppendJoin(", ", Dropped).Append(']');
        return true;
    }

    private static void ReadPeers(
        BDictionary dictionary,
        ReadOnlySpan<byte> key,
        ReadOnlySpan<byte> flagsKey,
        int entrySize,
        List<IPEndPoint> peers,
        List<byte>? flags)
    {
        if (!ExtensionBencode.TryGetBytes(dictionary, key, out var compact))
        {
            return;
        }

        var onWire = compact.Length / entrySize;
        var count = Math.Min(onWire, MaxPeersPerList);
        ReadOnlySpan<byte> flagBytes = default;
        if (flags is not null && ExtensionBencode.TryGetBytes(dictionary, flagsKey, out var f) && f.Length == onWire)
        {
            flagBytes = f.Span;
        }

        var span = compact.Span;
        for (var i = 0; i < count; i++)
        {
            var entry = span.Slice(i * entrySize, entrySize);
            var address = new IPAddress(entry[..^2]);
            peers.Add(new IPEndPoint(address, BinaryPrimitives.ReadUInt16BigEndian(entry[^2..])));
            flags?.Add(flagBytes.IsEmpty ? (byte)0 : flagBytes[i]);
        }
    }

    // Returns whether the peer went to the IPv6 list.
    private static bool AppendCompact(IPEndPoint peer, List<byte> v4, List<byte> v6)
    {
        var address = peer.Address.IsIPv4MappedToIPv6 ? peer.Address.MapToIPv4() : peer.Address;
        var target = address.AddressFamily switch
        {
            AddressFamily.InterNetwork => v4,
            AddressFamily.InterNetworkV6 => v6,
            _ => throw new InvalidOperationException($"PEX carries IPv4 and IPv6 peers only, not {address.AddressFamily}."),
        };
        target.AddRange(address.GetAddressBytes());
        target.Add((byte)(peer.Port >> 8));
        target.Add((byte)peer.Port);
        return target == v6;
    }
}
