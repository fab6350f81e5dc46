using Upseed.Metainfo;

namespace Upseed.Torrent.Trackers;

/// <summary>Announces to and scrapes one kind of tracker, or several behind a facade (<see cref="TrackerClient"/>).</summary>
public interface ITrackerClient
{
    /// <summary>Announces <paramref name="request"/> to the tracker at <paramref name="trackerUrl"/> and returns its peers.</summary>
    /// <exception cref="TrackerException">The tracker refused, timed out, could not be reached, or replied badly.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    Task<AnnounceResponse> AnnounceAsync(Uri trackerUrl, AnnounceRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Asks the tracker for its counts for each info-hash (BEP 48, BEP 15). HTTP trackers leave out hashes they do not
    /// know; UDP trackers answer every hash, with zeros for unknown ones.
    /// </summary>
    /// <exception cref="TrackerException">
    /// The tracker refused, timed out, could not be reached, replied badly, or has no scrape
    /// (<see cref="TrackerErrorKind.NotSupported"/>).
    /// </exception>
    /// <exception cref="ArgumentException">No info-hashes given (an HTTP scrape without any asks for every torrent).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    Task<IReadOnlyDictionary<InfoHash, ScrapeResult>> ScrapeAsync(
        Uri trackerUrl,
        IReadOnlyList<InfoHash> infoHashes,
        CancellationToken cancellationToken = default);
}
