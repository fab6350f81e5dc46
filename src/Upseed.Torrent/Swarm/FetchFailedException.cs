using Upseed.Metainfo;

namespace Upseed.Torrent.Swarm;

/// <summary>A fetch ended without the torrent: every peer failed, each for the reason listed.</summary>
public sealed class FetchFailedException : Exception
{
    public FetchFailedException(InfoHash infoHash, IReadOnlyList<string> reasons)
        : base($"Could not fetch {infoHash}: {(reasons.Count == 0 ? "no peer answered" : string.Join("; ", reasons))}")
    {
        InfoHash = infoHash;
        Reasons = reasons;
    }

    public FetchFailedException()
        : this(default, [])
    {
    }

    public FetchFailedException(string message)
        : base(message)
    {
        Reasons = [];
    }

    public FetchFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Reasons = [];
    }

    public InfoHash InfoHash { get; }

    public IReadOnlyList<string> Reasons { get; }
}
