using Upseed.Metainfo;

namespace Upseed.Torrent.Trackers;

/// <summary>
/// Sends each request to the client for the tracker URL's scheme: http and https to one, udp to the other. Does not
/// own the clients it is given.
/// </summary>
public sealed class TrackerClient : ITrackerClient
{
    private readonly ITrackerClient _http;
    private readonly ITrackerClient _udp;

    /// <param name="http">Handles http:// and https:// trackers, usually an <see cref="HttpTrackerClient"/>.</param>
    /// <param name="udp">Handles udp:// trackers, usually a <see cref="UdpTrackerClient"/>.</param>
    public TrackerClient(ITrackerClient http, ITrackerClient udp)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(udp);
        _http = http;
        _udp = udp;
    }

    /// <inheritdoc/>
    /// <exception cref="TrackerException"><see cref="TrackerErrorKind.NotSupported"/> for a scheme other than http, https or udp.</exception>
    public Task<AnnounceResponse> AnnounceAsync(Uri trackerUrl, AnnounceRequest request, CancellationToken cancellationToken = default) =>
        ClientFor(trackerUrl).AnnounceAsync(trackerUrl, request, cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="TrackerException"><see cref="TrackerErrorKind.NotSupported"/> for a scheme other than http, https or udp.</exception>
    public Task<IReadOnlyDictionary<InfoHash, ScrapeResult>> ScrapeAsync(
        Uri trackerUrl,
        IReadOnlyList<InfoHash> infoHashes,
        CancellationToken cancellationToken = default) =>
        ClientFor(trackerUrl).ScrapeAsync(trackerUrl, infoHashes, cancellationToken);

    private ITrackerClient ClientFor(Uri trackerUrl)
    {
        ArgumentNullException.ThrowIfNull(trackerUrl);
        if (!trackerUrl.IsAbsoluteUri)
        {
            throw new ArgumentException($"'{trackerUrl}' is not an absolute tracker URL.", nameof(trackerUrl));
        }

        return trackerUrl.Scheme switch
        {
            "http" or "https" => _http,
            "udp" => _udp,
            _ => throw new TrackerException(
                TrackerErrorKind.NotSupported,
                $"Trackers with the scheme '{trackerUrl.Scheme}' are not supported (http, https and udp are)."),
        };
    }
}
