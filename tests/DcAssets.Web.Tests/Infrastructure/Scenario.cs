using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DcAssets.Web.Tests.Infrastructure;

/// <summary>
/// An Alba-style description of one request and what its answer must be:
/// <c>x.Post.Json(cmd).ToUrl("/api/v1/assets"); x.StatusCodeShouldBe(201);</c>
/// </summary>
public sealed class Scenario
{
    private HttpMethod _method = HttpMethod.Get;
    private string? _url;
    private HttpContent? _content;
    private string? _role = "admin";
    private readonly List<Func<HttpResponseMessage, string, string?>> _checks = [];

    public SendExpression Get => Send(HttpMethod.Get);
    public SendExpression Post => Send(HttpMethod.Post);
    public SendExpression Put => Send(HttpMethod.Put);
    public SendExpression Delete => Send(HttpMethod.Delete);

    private SendExpression Send(HttpMethod m) { _method = m; return new SendExpression(this); }

    /// <summary>Which role's token to send; null sends no credentials (anonymous). Admin by default.</summary>
    public Scenario As(string? role) { _role = role; return this; }

    public void StatusCodeShouldBe(int status) =>
        _checks.Add((r, _) => (int)r.StatusCode == status ? null : $"expected status {status}, got {(int)r.StatusCode}");

    public void StatusCodeShouldBeSuccess() =>
        _checks.Add((r, _) => r.IsSuccessStatusCode ? null : $"expected a 2xx status, got {(int)r.StatusCode}");

    public void ContentShouldContain(string text) =>
        _checks.Add((_, body) => body.Contains(text, StringComparison.Ordinal) ? null : $"expected the body to contain '{text}'");

    public void ContentTypeShouldBe(string type) =>
        _checks.Add((r, _) => r.Content.Headers.ContentType?.MediaType == type ? null : $"expected content type {type}, got {r.Content.Headers.ContentType?.MediaType}");

    /// <summary>The answer is RFC 9457 problem details whose <c>errors</c> name <paramref name="field"/>.</summary>
    public void ProblemShouldName(string field) =>
        _checks.Add((r, body) =>
        {
            if (r.Content.Headers.ContentType?.MediaType != "application/problem+json") return "expected application/problem+json";
            var errors = JsonNode.Parse(body)?["errors"] as JsonObject;
            return errors?.ContainsKey(field) == true ? null : $"expected problem details naming field '{field}'";
        });

    internal void Set(string url, HttpContent? content) { _url = url; _content = content; }

    internal async Task<ScenarioResult> RunAsync(HttpClient client, DcAssetsApp app)
    {
        if (_url is null) throw new InvalidOperationException("the scenario has no URL");
        using var request = new HttpRequestMessage(_method, _url) { Content = _content };
        if (_role is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", app.Tokens[_role]);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var failures = _checks.Select(c => c(response, body)).OfType<string>().ToList();
        if (failures.Count > 0)
            throw new Xunit.Sdk.XunitException($"{_method} {_url} as {_role ?? "anonymous"}:\n  - {string.Join("\n  - ", failures)}\nstatus {(int)response.StatusCode}, body:\n{body}");
        return new ScenarioResult((int)response.StatusCode, body, response.Content.Headers.ContentType?.MediaType);
    }
}

public sealed class SendExpression(Scenario scenario)
{
    private HttpContent? _content;

    public SendExpression Json(object body) { _content = JsonContent.Create(body, options: Web); return this; }
    public SendExpression Text(string body, string mediaType) { _content = new StringContent(body, Encoding.UTF8, mediaType); return this; }
    public void ToUrl(string url) => scenario.Set(url, _content);
    public void Url(string url) => scenario.Set(url, _content);

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
}

public sealed record ScenarioResult(int Status, string Body, string? ContentType)
{
    public JsonNode Json => JsonNode.Parse(Body)!;
}
