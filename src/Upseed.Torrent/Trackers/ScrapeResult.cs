namespace Upseed.Torrent.Trackers;

/// <summary>A tracker's counts for one info-hash (BEP 48 <c>files</c> entry; BEP 15 scrape).</summary>
/// <param name="Complete">Seeders: peers with the whole torrent.</param>
/// <param name="Incomplete">Leechers: peers still downloading.</param>
/// <param name="Downloaded">How many times the tracker saw a <c>completed</c> event.</param>
public readonly record struct ScrapeResult(int Complete, int Incomplete, int Downloaded);
