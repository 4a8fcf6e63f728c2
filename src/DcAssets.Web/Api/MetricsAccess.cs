using System.Security.Cryptography;
using System.Text;

namespace DcAssets.Web.Api;

/// <summary>
/// Who may read /metrics: a scraper on this machine (loopback, or a local socket, which has no address), or one
/// sending the scrape token configured as Metrics:ScrapeToken (DCASSETS_METRICS_TOKEN) as a bearer token. Anyone
/// else gets 403 with problem details: the figures name no person, but they map the deployment.
/// </summary>
public static class MetricsAccess
{
    public const string TokenKey = "Metrics:ScrapeToken", TokenVariable = "DCASSETS_METRICS_TOKEN";

    public static WebApplication UseMetricsAccess(this WebApplication app)
    {
        var token = app.Configuration[TokenKey] ?? app.Configuration[TokenVariable];
        app.Use(async (http, next) =>
        {
            if (!http.Request.Path.StartsWithSegments("/metrics") || Allowed(http, token))
            {
                await next();
                return;
            }
            await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                detail: "/metrics is open on loopback only, or with the scrape token (Metrics:ScrapeToken)")
                .ExecuteAsync(http);
        });
        return app;
    }

    public static bool Allowed(HttpContext http, string? token)
    {
        var from = http.Connection.RemoteIpAddress;
        if (from is null || System.Net.IPAddress.IsLoopback(from.IsIPv4MappedToIPv6 ? from.MapToIPv4() : from))
            return true;
        var sent = http.Request.Headers.Authorization.ToString();
        return token is { Length: > 0 } && sent.StartsWith("Bearer ", StringComparison.Ordinal) &&
            CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(sent[7..].Trim()),
                Encoding.UTF8.GetBytes(token));
    }
}
