using Microsoft.Extensions.Logging;

namespace Upseed.Web;

/// <summary>One kept log line.</summary>
public sealed record LogEntry(DateTimeOffset Time, LogLevel Level, string Category, string Message);
