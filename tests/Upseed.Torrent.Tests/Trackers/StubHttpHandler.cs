using System.Net;

namespace Upseed.Torrent.Tests.Trackers;

/// <summary>An in-memory HTTP server for one test: records each request URL and answers with the given function.</summary>
internal sealed class StubHttpHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> respond) : HttpMessageHandler
{
    public StubHttpHandler(HttpStatusCode status, byte[] body)
        : this((_, _) => Task.FromResult(new HttpResponseMessage(status) { Content = new ByteArrayContent(body) }))
    {
    }

    public List<Uri> Requests { get; } = [];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add(request.RequestUri!);
        return respond(request, cancellationToken);
    }
}
