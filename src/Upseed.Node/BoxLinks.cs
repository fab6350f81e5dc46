using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Upseed.Metainfo;
using Upseed.Records;
using Upseed.Store;

namespace Upseed.Node;

/// <summary>
/// The magnet links and .torrent files a box hands out: <c>xt</c> and <c>dn</c> always; the box's own address as a
/// peer hint (<c>x.pe</c>) once a node has run and knows where it listens; <c>tr</c> (and the .torrent's announce
/// list) when trackers are configured. The info-hash never changes: hints and trackers live outside the info dict.
/// </summary>
public static class BoxLinks
{
    /// <summary>Setting: announce URLs, separated by spaces or commas. Defaults to none.</summary>
    public const string TrackersSetting = "trackers";

    /// <summary>Setting written by the node on start: HOST:PORT where peers reach it.</summary>
    public const string PeerHintSetting = "node.peer-hint";

    public static MagnetLink Magnet(RecordStore store, SignedRecord record)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(record);
        var hint = store.GetSetting(PeerHintSetting);
        return new MagnetLink(record.Id, record.FileName, Trackers(store), string.IsNullOrEmpty(hint) ? null : [hint]);
    }

    public static byte[] TorrentFile(RecordStore store, SignedRecord record)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(record);
        return SingleFileTorrent.BuildTorrentFile(record.FileName, record.Bytes.Span, Trackers(store));
    }

    public static IReadOnlyList<string> Trackers(RecordStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var value = store.GetSetting(TrackersSetting);
        return string.IsNullOrWhiteSpace(value)
            ? []
            : value.Split([' ', ',', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>
    /// Where peers can reach a node listening on <paramref name="listen"/>: the address itself when it is a specific
    /// one; for a wildcard, the first LAN address of an interface that is up (the box's LAN address); null if none.
    /// </summary>
    public static string? PeerHint(IPEndPoint listen)
    {
        ArgumentNullException.ThrowIfNull(listen);
        if (!listen.Address.Equals(IPAddress.Any) && !listen.Address.Equals(IPAddress.IPv6Any))
        {
            return listen.ToString();
        }

        var address = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a));
        return address is null ? null : new IPEndPoint(address, listen.Port).ToString();
    }
}
