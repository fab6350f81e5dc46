namespace Upseed.Web;

/// <summary>The dashboard's samples over time: a bounded ring of (time, named values), oldest dropped first.</summary>
internal sealed class MetricsHistory
{
    private readonly Queue<MetricsSample> _samples = new();
    private readonly int _capacity;
    private readonly Lock _gate = new();

    public MetricsHistory(WebOptions options) => _capacity = Math.Max(2, options.MetricsSamples);

    public void Add(MetricsSample sample)
    {
        lock (_gate)
        {
            _samples.Enqueue(sample);
            while (_samples.Count > _capacity)
            {
                _samples.Dequeue();
            }
        }
    }

    public IReadOnlyList<MetricsSample> Samples()
    {
        lock (_gate)
        {
            return _samples.ToArray();
        }
    }

    public MetricsSample? Latest()
    {
        lock (_gate)
        {
            return _samples.Count == 0 ? null : _samples.Last();
        }
    }

    /// <summary>One metric's values over time, for a chart.</summary>
    public MetricSeriesDto Series(string name)
    {
        var samples = Samples().Where(s => s.Values.ContainsKey(name)).ToList();
        return new MetricSeriesDto(name, samples.Select(s => s.Time.ToUnixTimeSeconds()).ToList(), samples.Select(s => s.Values[name]).ToList());
    }
}

internal sealed record MetricsSample(DateTimeOffset Time, IReadOnlyDictionary<string, double> Values);
