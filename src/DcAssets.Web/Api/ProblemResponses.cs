using System.Text.Json;
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
            CommandRejected r => (
                r.Kind switch { RejectionKind.NotFound => 404, RejectionKind.Conflict => 409, _ => 400 },
                r.Kind switch
                {
                    RejectionKind.NotFound => "Not found", RejectionKind.Conflict => "Conflict",
                    _ => "The request is invalid"
                },
                r.Errors),
            BadHttpRequestException b =>
                (b.StatusCode, "The request is malformed", Errors(BadRequestField(b), Inner(b))),
            JasperFx.ConcurrencyException c => (409, "Conflict", Errors("version", c.Message)),
            Marten.Exceptions.ExistingStreamIdCollisionException c => (409, "Conflict", Errors("id", c.Message)),
            // The server unreachable (not an error the server answered with): the caller can only try again later.
            Npgsql.NpgsqlException and not Npgsql.PostgresException =>
                (503, "The database is unavailable", Errors("database", "the database did not answer; try again")),
            _ => (500, "Unexpected error", null),
        };
        if (status >= 500) log.LogError(ex, "request failed: {Path}", http.Request.Path);
        http.Response.StatusCode = status;
        var details = errors is null
            ? new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title }
            : new HttpValidationProblemDetails(errors.ToDictionary(e => e.Key, e => e.Value)) { Status = status,
                Title = title, Detail = ex.Message };
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = details,
            Exception = ex });
    }

    /// <summary>
    /// A body of the wrong media type is refused (415) before any handler runs, with an empty problem: name the body
    /// and what it must be, like every other refusal.
    /// </summary>
    public static void NameTheBody(ProblemDetailsContext ctx)
    {
        if (ctx.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType
            && !ctx.ProblemDetails.Extensions.ContainsKey("errors")
            && ctx.ProblemDetails is not HttpValidationProblemDetails)
            ctx.ProblemDetails.Extensions["errors"] = new Dictionary<string, string[]>
            {
                ["body"] = [$"'{ctx.HttpContext.Request.ContentType}' is not accepted here; send application/json"],
            };
    }

    private static IReadOnlyDictionary<string, string[]> Errors(string field, string message) =>
        new Dictionary<string, string[]> { [field] = [message] };

    /// <summary>
    /// The field a binding failure is about, as the client wrote it: a JSON body's error names the JSON path
    /// ("$.position" → "position"); "Failed to bind parameter "Nullable&lt;DateTimeOffset&gt; AsOf" from "x"" names
    /// the query or route value ("asOf"); anything else about the body (empty, not JSON, wrong media type) is "body".
    /// </summary>
    public static string BadRequestField(BadHttpRequestException b)
    {
        if (b.InnerException is JsonException j) return JsonField(j.Path);
        var m = System.Text.RegularExpressions.Regex.Match(b.Message,
            "^(?:Failed to bind parameter \"(?:[^\"]* )?(\\w+)\" from|Required parameter \"(?:[^\"]* )?(\\w+)\" was " +
            "not provided from (?:query|route|header))");
        if (!m.Success) return "body";
        return JsonNamingPolicy.CamelCase.ConvertName(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value);
    }

    // "$.location.rack" → "location.rack", "$['odd key']" → "odd key", "$" or nothing → "body".
    private static string JsonField(string? path)
    {
        if (string.IsNullOrEmpty(path)) return "body";
        var field = System.Text.RegularExpressions.Regex.Replace(path, "\\['((?:[^']|'')*)'\\]", m =>
            "." + m.Groups[1].Value.Replace("''", "'"));
        field = field.TrimStart('$').TrimStart('.');
        return field.Length == 0 ? "body" : field;
    }

    private static string Inner(Exception e) => e.InnerException is { } i ? $"{e.Message} {i.Message}" : e.Message;
}
