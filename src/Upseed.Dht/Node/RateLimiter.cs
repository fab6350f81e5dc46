using System.Net;

namespace Upseed.Dht.Node;

/// <summary>A token bucket per source IP.</summary>
internal sealed class RateLimiter
{
    private const int MaxTracked = 10_000;
    private readonly Dictionary<IPAddress, (double Tokens, DateTimeOffset Last)> _buckets = [];
    private readonly double _rate;
    private readonly double _burst;

    public RateLimiter(double ratePerSecond, double burst)
    {
        _rate = ratePerSecond;
        _burst = Math.Max(1, burst);
    }

    public bool TryAcquire(IPAddress ip, DateTimeOffset now)
    {
        if (!_buckets.TryGetValue(ip, out var bucket))
        {
            if (_buckets.Count >= MaxTracked)
            {
                _buckets.Clear();
            }

            bucket = (_burst, now);
        }

        var elapsed = Math.Max(0, (now - bucket.Last).TotalSeconds);
        var tokens = Math.Min(_burst, bucket.Tokens + (elapsed * _rate));
        var allowed = tokens >= 1;
        _buckets[ip] = (allowed ? tokens - 1 : tokens, now);
        return allowed;
    }
}
