using System.Net;

namespace DcAssets.Web.Tests.Infrastructure;

/// <summary>Keeps the cookies a page sets and sends them back, as a browser does (clients of Alba's server).</summary>
public sealed class CookieJar(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private readonly CookieContainer _cookies = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var uri = request.RequestUri!;
        if (_cookies.GetCookieHeader(uri) is { Length: > 0 } header) request.Headers.Add("Cookie", header);
        var response = await base.SendAsync(request, ct);
        if (response.Headers.TryGetValues("Set-Cookie", out var set))
            foreach (var cookie in set) _cookies.SetCookies(uri, cookie);
        return response;
    }
}
