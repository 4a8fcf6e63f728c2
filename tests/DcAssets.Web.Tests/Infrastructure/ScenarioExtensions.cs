using System.Text.Json.Nodes;

namespace DcAssets.Web.Tests.Infrastructure;

/// <summary>What our scenarios add to Alba's: the sender, problem details naming a field, the body.</summary>
public static class ScenarioExtensions
{
    /// <summary>
    /// Sends the API token of <paramref name="role"/>'s user (see <see cref="DcAssetsApp.Tokens"/>); null sends
    /// no credentials. Without it a scenario is the admin's.
    /// </summary>
    public static Scenario As(this Scenario x, string? role)
    {
        if (role is null) x.RemoveRequestHeader("Authorization");
        else x.WithRequestHeader("Authorization", "Bearer " + DcAssetsApp.Tokens[role]);
        return x;
    }

    /// <summary>The answer is RFC 9457 problem details whose <c>errors</c> name <paramref name="field"/>.</summary>
    public static Scenario ProblemShouldName(this Scenario x, string field) => x.AssertThat(new ProblemNames(field));

    public static SendExpression Text(this IUrlExpression send, string body, string mediaType) =>
        send.Text(body).ContentType(mediaType);

    /// <summary>
    /// The URL of a request with a body, its query string included: Alba's ToUrl takes a path only (its Url,
    /// for requests without a body, splits the query off as this does).
    /// </summary>
    public static SendExpression ToUrlWithQuery(this SendExpression send, string url)
    {
        var at = url.IndexOf('?');
        if (at < 0) return send.ToUrl(url);
        send.ToUrl(url[..at]);
        foreach (var (key, values) in Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(url[(at + 1)..]))
            foreach (var value in values) send.QueryString(key, value ?? "");
        return send;
    }

    /// <summary>The media type, whatever parameters (charset, version) follow it.</summary>
    public static Scenario MediaTypeShouldBe(this Scenario x, string mediaType) =>
        x.AssertThat(new MediaType(mediaType));

    extension(IScenarioResult r)
    {
        public string Body => r.ReadAsText();
        public JsonNode Json => JsonNode.Parse(r.ReadAsText())!;
        public int Status => r.Context.Response.StatusCode;
    }

    private sealed class MediaType(string expected) : IScenarioAssertion
    {
        public void Assert(Scenario scenario, AssertionContext context)
        {
            var actual = (context.HttpContext.Response.ContentType ?? "").Split(';')[0].Trim();
            if (actual != expected) context.AddFailure($"expected media type {expected}, got '{actual}'");
        }
    }

    private sealed class ProblemNames(string field) : IScenarioAssertion
    {
        public void Assert(Scenario scenario, AssertionContext context)
        {
            var type = context.HttpContext.Response.ContentType ?? "";
            if (!type.StartsWith("application/problem+json", StringComparison.Ordinal))
            {
                context.AddFailure($"expected application/problem+json, got '{type}'");
                return;
            }
            var errors = JsonNode.Parse(context.ReadBodyAsString())?["errors"] as JsonObject;
            if (errors?.ContainsKey(field) != true)
                context.AddFailure($"expected problem details naming field '{field}'");
        }
    }
}
