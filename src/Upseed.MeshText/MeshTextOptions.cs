using Upseed.Store;

namespace Upseed.MeshText;

/// <summary>How the text-command bridge answers. Every default is written down.</summary>
public sealed record MeshTextOptions
{
    /// <summary>
    /// Bytes per reply message. Defaults to 200: under the 233-byte Meshtastic payload with room to spare, and what
    /// the apps show without splitting.
    /// </summary>
    public int MaxReplyBytes { get; init; } = 200;

    /// <summary>Messages one command may be answered with. Defaults to 2: every reply costs airtime on a shared channel.</summary>
    public int MaxRepliesPerCommand { get; init; } = 2;

    /// <summary>Posts in a listing reply. Defaults to 5.</summary>
    public int ListingLength { get; init; } = 5;

    /// <summary>The period of <c>top</c> when none is given. Defaults to a week.</summary>
    public TopPeriod DefaultPeriod { get; init; } = TopPeriod.Week;

    /// <summary>Commands one radio may send per <see cref="CommandWindow"/>. Defaults to 6.</summary>
    public int CommandsPerWindow { get; init; } = 6;

    /// <summary>Defaults to 10 minutes.</summary>
    public TimeSpan CommandWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Posts one radio may make per <see cref="PostWindow"/>. Defaults to 3.</summary>
    public int PostsPerWindow { get; init; } = 3;

    /// <summary>Defaults to 1 hour.</summary>
    public TimeSpan PostWindow { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Commands answered per hour from all radios together, to bound the box's own airtime. Defaults to 120.</summary>
    public int TotalCommandsPerHour { get; init; } = 120;

    /// <summary>Communities radio users may post to; null for any. Defaults to null.</summary>
    public IReadOnlySet<string>? PostCommunities { get; init; }

    /// <summary>Ask the mesh to acknowledge replies (the apps do for direct messages). Defaults to true.</summary>
    public bool ReplyWantAck { get; init; } = true;

    /// <summary>Folder under the data folder that holds the per-radio identities' keys. Defaults to <c>mesh-keys</c>.</summary>
    public string KeyFolderName { get; init; } = "mesh-keys";

    /// <summary>Radios whose last listing is remembered for <c>show N</c>. Defaults to 256.</summary>
    public int RememberedListings { get; init; } = 256;

    public static MeshTextOptions Default { get; } = new();
}
