using System.Text.Json;
using DcAssets.EventStore;
using Microsoft.AspNetCore.Diagnostics;

namespace DcAssets.Web.Api;

/// <summary>
/// Every error leaves as RFC 9457 problem details. Refused commands name each field at fault;
/// store failures that are the caller's doing are 4xx, the database being away is 503.
/// </summary>
public sealed class ProblemResponses(IProblemDetailsService problems, ILogger<ProblemResponses> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception ex, CancellationToken ct)
    {
        var (status, title, errors) = ex switch
        {
            CommandRejected r => (r.Kind switch { RejectionKind.NotFound => 404, RejectionKind.Conflict => 409, _ => 400 },
                r.Kind switch { RejectionKind.NotFound => "Not found", RejectionKind.Conflict => "Conflict", _ => "The request is invalid" },
                r.Errors),
            BadHttpRequestException b => (b.StatusCode, "The request is malformed", Errors(BoundField(b.Message), Inner(b))),
            InvalidStreamIdException i => (400, "The request is invalid", Errors("id", i.Message)),
            EventTooLargeException t => (413, "Too large", Errors("body", t.Message)),
            ConcurrencyException c => (409, "Conflict", Errors("version", c.Message)),
            EventStoreUnavailableException u => (503, "The database is unavailable", Errors("database", u.Message)),
            _ => (500, "Unexpected error", null),
        };
        if (status >= 500) log.LogError(ex, "request failed: {Path}", http.Request.Path);
        http.Response.StatusCode = status;
        var details = errors is null
            ? new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title }
            : new HttpValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value)) { Status = status, Title = title, Detail = ex.Message };
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = details, Exception = ex });
    }

    private static IReadOnlyDictionary<string, string[]> Errors(string field, string message) =>
        new Dictionary<string, string[]> { [field] = [message] };

    // "Failed to bind parameter "Nullable<DateTimeOffset> AsOf" from "x"." names the query field; a bad JSON body names none.
    private static string BoundField(string message)
    {
        var m = System.Text.RegularExpressions.Regex.Match(message, "parameter \"(?:[^\"]* )?(\\w+)\"");
        return m.Success ? JsonNamingPolicy.CamelCase.ConvertName(m.Groups[1].Value) : "body";
    }

    private static string Inner(Exception e) => e.InnerException is { } i ? $"{e.Message} {i.Message}" : e.Message;
}
