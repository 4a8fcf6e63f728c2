using DcAssets.Identity;
using DcAssets.Web.Identity;
using DcAssets.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DcAssets.Web.Tests;

/// <summary>
/// Every API endpoint × every role and anonymous, generated from the host's own endpoint list: an
/// endpoint without an explicit policy, or a policy that lets the wrong people in, fails here.
/// </summary>
public sealed class RoleMatrixTests(DcAssetsApp app) : IClassFixture<DcAssetsApp>
{
    private sealed record ApiEndpoint(string Method, string Pattern, string? Policy, bool Anonymous);

    private List<ApiEndpoint> Endpoints() =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1") == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => new ApiEndpoint(
                m, e.RoutePattern.RawText!,
                e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null),
                e.Metadata.GetMetadata<IAllowAnonymous>() is not null)))
            .ToList();

    [Fact]
    public void Every_api_endpoint_names_a_known_policy_or_allows_anonymous_callers()
    {
        var endpoints = Endpoints();
        endpoints.Should().HaveCountGreaterThan(20);
        endpoints.Where(e => !e.Anonymous && (e.Policy is null || !Policies.AllowedRoles.ContainsKey(e.Policy)))
            .Select(e => $"{e.Method} {e.Pattern}").Should().BeEmpty("every endpoint needs an explicit policy");
        endpoints.Where(e => e.Anonymous).Select(e => $"{e.Method} {e.Pattern}").Should().BeEquivalentTo(["POST /api/v1/session/"]);
    }

    [Fact]
    public async Task Every_endpoint_answers_each_role_and_anonymous_as_its_policy_says()
    {
        var failures = new List<string>();
        var client = app.Client();
        foreach (var e in Endpoints())
        {
            var url = System.Text.RegularExpressions.Regex.Replace(e.Pattern, "{[^}]+}", "X1");
            foreach (var role in Roles.All.Cast<string?>().Append(null))
            {
                using var request = new HttpRequestMessage(new HttpMethod(e.Method), url);
                if (e.Method is "POST" or "PUT") request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
                if (role is not null) request.Headers.Authorization = new("Bearer", app.Tokens[role]);
                using var response = await client.SendAsync(request);
                var status = (int)response.StatusCode;
                var expected = e.Anonymous ? "anything handled"
                    : role is null ? "401"
                    : Policies.AllowedRoles[e.Policy!].Contains(role) ? "allowed" : "403";
                var ok = expected switch
                {
                    "401" => status == 401,
                    "403" => status == 403,
                    // Sign-in is open to all; with no credentials in the body it answers 401 by design.
                    "anything handled" => status < 500,
                    // Allowed callers get past authorization: the dummy id or empty body may still be refused, but not with 401/403.
                    _ => status is not (401 or 403) && status < 500,
                };
                if (!ok) failures.Add($"{e.Method} {url} as {role ?? "anonymous"}: expected {expected}, got {status} {await response.Content.ReadAsStringAsync()}");
            }
        }
        failures.Should().BeEmpty();
    }
}
