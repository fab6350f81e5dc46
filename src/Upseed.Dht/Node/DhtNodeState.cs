using System.Diagnostics.CodeAnalysis;
using System.Net;
using Upseed.Bencode;
using Upseed.Dht.Routing;

namespace Upseed.Dht.Node;

/// <summary>
/// What a <see cref="DhtNode"/> keeps between runs (BEP 5: "the routing table should be saved between invocations"):
/// our id, the nodes of the routing table and our last known external address. The file is the
/// <see cref="RoutingTableSnapshot"/> dictionary (<c>id</c>, <c>nodes</c>, <c>nodes6</c>) plus <c>ip</c> (4 or 16 bytes)
/// when the address is known.
/// </summary>
public sealed class DhtNodeState
{
    /// <summary>Initializes a new instance of the <see cref="DhtNodeState"/> class.</summary>
    /// <param name="id">Our node id.</param>
    /// <param name="nodes">The routing table's nodes.</param>
    /// <param name="externalAddress">Our external address, if known.</param>
    public DhtNodeState(NodeId id, IReadOnlyList<NodeContact> nodes, IPAddress? externalAddress = null)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        Id = id;
        Nodes = nodes;
        ExternalAddress = externalAddress;
    }

    /// <summary>Gets our node id: start the next run with it so the neighbourhood still knows us.</summary>
    public NodeId Id { get; }

    /// <summary>Gets the routing table's nodes (restored as questionable until they answer).</summary>
    public IReadOnlyList<NodeContact> Nodes { get; }

    /// <summary>Gets our last voted external address (BEP 42), or null.</summary>
    public IPAddress? ExternalAddress { get; }

    /// <summary>Writes the state to <paramref name="path"/> atomically (a temporary file, then a rename).</summary>
    /// <param name="path">The file.</param>
    /// <exception cref="IOException">The file could not be written.</exception>
    public void Save(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var buffer = new MemoryStream();
        new RoutingTableSnapshot(Id, Nodes).Save(buffer);
        var root = new BDictionary();
        foreach (var (key, value) in ((BDictionary)BencodeDecoder.Decode(buffer.ToArray())).Entries)
        {
            root.Set(key, value);
        }

        if (ExternalAddress is { } ip)
        {
            root.Set("ip", (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).GetAddressBytes());
        }

        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, root.Encode());
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// Reads a saved state. False, with the reason, when the file is missing, too large or malformed; corrupt bytes
    /// never throw (start fresh and bootstrap then).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="state">The state read.</param>
    /// <param name="error">Why nothing was read.</param>
    /// <returns>True when read.</returns>
    public static bool TryLoad(string path, [NotNullWhen(true)] out DhtNodeState? state, [NotNullWhen(false)] out string? error)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        state = null;
        byte[] bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                error = "no saved state";
                return false;
            }

            if (info.Length > RoutingTableSnapshot.MaxFileSize)
            {
                error = $"file larger than {RoutingTableSnapshot.MaxFileSize} bytes";
                return false;
            }

            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = e.Message;
            return false;
        }

        var snapshot = RoutingTableSnapshot.Load(new MemoryStream(bytes, writable: false));
        if (!snapshot.TryGetOwnId(out var id))
        {
            error = snapshot.Error ?? "missing id";
            return false;
        }

        IPAddress? external = null;
        var root = (BDictionary)BencodeDecoder.Decode(bytes);
        if (root.TryGetValue("ip", out var ip))
        {
            if (ip is not BString { Value.Length: 4 or 16 } address)
            {
                error = "'ip' is not a 4- or 16-byte address";
                return false;
            }

            external = new IPAddress(address.Span);
        }

        state = new DhtNodeState(id, snapshot.Nodes, external);
        error = null;
        return true;
    }
}
