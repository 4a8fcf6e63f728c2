using System.Net;
using System.Net.Http.Json;
using System.Text;
using DcAssets.Assets;
using DcAssets.Identity;
using DcAssets.Telemetry;
using DcAssets.Telemetry.Alarms;
using DcAssets.Telemetry.Polling;
using DcAssets.Telemetry.Profiles;
using DcAssets.Web.Identity;
using DcAssets.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DcAssets.Web.Tests;

/// <summary>
/// Every endpoint and page × every role and anonymous, generated from the host's own endpoint list. Each route
/// has a sample request against real, seeded data, so "allowed" means the call succeeds (2xx, or the route's
/// own success such as a redirect), not merely "got past authorization". A new endpoint without a policy, or
/// without a sample here, fails; so does a policy that lets the wrong people in.
/// </summary>
public sealed class RoleMatrixTests(DcAssetsApp app) : IClassFixture<DcAssetsApp>, IAsyncLifetime
{
    private sealed record Route(string Method, string Pattern, string? Policy, bool Anonymous, bool Page)
    {
        public string Key => $"{Method} {Pattern}";
    }

    /// <summary>One request: its URL and body, and what success looks like for this route (2xx unless said).</summary>
    private sealed record Sample(string Url, object? Json = null, string? Csv = null, int? Success = null);

    private static readonly Actor Seeder = new("test", "test", Roles.Admin, EventSources.Cli);
    private const string Asset = "RM-SRV", Device = "UPS-RM", Person = "rm.person";
    private static int _fresh;
    private static string Fresh(string prefix) => $"{prefix}{Interlocked.Increment(ref _fresh)}";

    public Task InitializeAsync() => app.OnceAsync("role matrix", async () =>
    {
        await MachineRoom.BuildAsync(app);
        await AssetStream.RegisterAsync(app.Marten, Seeder, new AssetInput { Tag = Asset, Category = "server", Room = "R101", Rack = "A01", Position = 10, HeightU = 2 }, default);
        await AssetStream.RegisterAsync(app.Marten, Seeder, new AssetInput { Tag = Device, Category = "ups", Room = "R101" }, default);
        await UserStream.CreateAsync(app.Marten, Seeder, new CreateUserCommand(Person, Roles.Manager, DcAssetsApp.Password), default);
        await app.Scenario(x =>
        {
            x.As("engineer").Put.Json(new { address = "127.0.0.1", port = 16161, profile = "ups-mib", version = "2c", intervalSeconds = 60 }).ToUrl($"/api/v1/telemetry/devices/{Device}/polling");
            x.StatusCodeShouldBe(200);
        });
        // An active alarm, as the poller raises it, so acknowledging has something to acknowledge.
        await using var s = app.Marten.OpenSession(Actor.System());
        s.Events.Append(TelemetryStreams.Device(Device), new AlarmRaised(Guid.NewGuid().ToString("N"), Device, "on_battery", FaultLevel.Urgent, "on battery", DateTimeOffset.UtcNow));
        await s.SaveChangesAsync();
    });

    public Task DisposeAsync() => Task.CompletedTask;

    // Fresh things for requests that change what they touch, so every allowed call makes a real change.
    private async Task<string> FreshAssetAsync()
    {
        var tag = Fresh("RM-A");
        await AssetStream.RegisterAsync(app.Marten, Seeder, new AssetInput { Tag = tag, Category = "switch", Room = "R101", Status = "in_service" }, default);
        return tag;
    }

    /// <summary>A fault of its own for one sample, reported (and resolved, when asked) straight into the store.</summary>
    private async Task<string> FreshFaultAsync(bool resolved = false)
    {
        var contract = DcAssets.Web.Faults.FaultEndpoints.LoadContract(
            new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build());
        var now = DateTimeOffset.UtcNow;
        var reported = DcAssets.Faults.FaultDecisions.Report(contract, Fresh("F-RM"),
            new DcAssets.Faults.ReportFaultCommand("general", "matrix", [], null, DcAssets.Faults.FaultSource.Engineer,
                now), now, _ => true);
        await using var session = app.Marten.OpenSession(Seeder);
        session.Events.StartStream(DcAssets.Faults.FaultTicket.StreamId(reported.FaultId), reported);
        if (resolved)
            session.Events.Append(DcAssets.Faults.FaultTicket.StreamId(reported.FaultId),
                new DcAssets.Faults.FaultResolved(reported.FaultId, now, "cause", "action", 1));
        await session.SaveChangesAsync();
        return reported.FaultId;
    }

    private async Task<string> FreshPolledDeviceAsync()
    {
        var tag = Fresh("RM-UPS");
        await AssetStream.RegisterAsync(app.Marten, Seeder, new AssetInput { Tag = tag, Category = "ups", Room = "R101" }, default);
        await ConfigurePollingHandler.RunAsync(app.Marten, Seeder, AssetRegister.In(app.Marten),
            new ConfigurePolling(tag, "127.0.0.1", "ups-mib", 16161), ProfileCatalog.Load(null), null, default);
        return tag;
    }

    private async Task<string> FreshPersonAsync(params string[] roles)
    {
        var name = Fresh("rm.p");
        await UserStream.CreateAsync(app.Marten, Seeder, new CreateUserCommand(name, roles[0], DcAssetsApp.Password), default);
        foreach (var role in roles.Skip(1)) await UserStream.ChangeAsync(app.Marten, Seeder, name, u => ManageUsers.Grant(u, new RoleCommand(role)), default);
        return name;
    }

    private async Task<string> FreshTokenAsync()
    {
        var token = Credentials.NewToken();
        await UserStream.ChangeAsync(app.Marten, Seeder, Person, u => ApiTokens.Issue(u, new IssueTokenCommand("matrix"), token), default);
        return token.TokenId;
    }

    /// <summary>The sample request of every route, by "METHOD pattern"; the caller's role (null: anonymous) is passed in.</summary>
    private Dictionary<string, Func<string?, Task<Sample>>> Samples() => new()
    {
        // Session and people.
        ["POST /api/v1/session/"] = _ => Task.FromResult(new Sample("/api/v1/session", new { name = "manager1", password = DcAssetsApp.Password })),
        ["GET /api/v1/session/"] = _ => Task.FromResult(new Sample("/api/v1/session")),
        ["DELETE /api/v1/session/"] = _ => Task.FromResult(new Sample("/api/v1/session")),
        ["PUT /api/v1/session/password"] = _ => Task.FromResult(new Sample("/api/v1/session/password", new { currentPassword = DcAssetsApp.Password, password = DcAssetsApp.Password })),
        ["GET /api/v1/users/"] = _ => Task.FromResult(new Sample("/api/v1/users")),
        ["POST /api/v1/users/"] = _ => Task.FromResult(new Sample("/api/v1/users", new { name = Fresh("rm.new"), role = "engineer", password = DcAssetsApp.Password })),
        ["GET /api/v1/users/{name}"] = _ => Task.FromResult(new Sample($"/api/v1/users/{Person}")),
        ["POST /api/v1/users/{name}/roles"] = async _ => new Sample($"/api/v1/users/{await FreshPersonAsync(Roles.Manager)}/roles", new { role = "security" }),
        ["DELETE /api/v1/users/{name}/roles/{role}"] = async _ => new Sample($"/api/v1/users/{await FreshPersonAsync(Roles.Manager, Roles.Engineer)}/roles/engineer"),
        ["PUT /api/v1/users/{name}/password"] = async _ => new Sample($"/api/v1/users/{await FreshPersonAsync(Roles.Manager)}/password", new { password = "another long password" }),
        ["POST /api/v1/users/{name}/disable"] = async _ => new Sample($"/api/v1/users/{await FreshPersonAsync(Roles.Manager)}/disable", new { reason = "left" }),
        ["POST /api/v1/users/{name}/tokens"] = _ => Task.FromResult(new Sample($"/api/v1/users/{Person}/tokens", new { label = "matrix" })),
        ["DELETE /api/v1/users/{name}/tokens/{tokenId}"] = async _ => new Sample($"/api/v1/users/{Person}/tokens/{await FreshTokenAsync()}"),
        ["GET /api/v1/security/sign-ins"] = _ => Task.FromResult(new Sample("/api/v1/security/sign-ins")),

        // Places and assets.
        ["GET /api/v1/places"] = _ => Task.FromResult(new Sample("/api/v1/places")),
        ["POST /api/v1/sites"] = _ => Task.FromResult(new Sample("/api/v1/sites", new { code = Fresh("S"), name = "Site" })),
        ["POST /api/v1/rooms"] = _ => Task.FromResult(new Sample("/api/v1/rooms", new { code = Fresh("R"), name = "Room", site = "HQ" })),
        ["POST /api/v1/racks"] = _ => Task.FromResult(new Sample("/api/v1/racks", new { code = Fresh("K"), room = "R102", heightU = 42 })),
        ["GET /api/v1/racks/{code}/elevation"] = _ => Task.FromResult(new Sample("/api/v1/racks/A01/elevation")),
        ["GET /api/v1/racks/{code}/elevation.svg"] = _ => Task.FromResult(new Sample("/api/v1/racks/A01/elevation.svg")),
        ["GET /api/v1/assets/"] = _ => Task.FromResult(new Sample("/api/v1/assets?rack=A01")),
        ["POST /api/v1/assets/"] = _ => Task.FromResult(new Sample("/api/v1/assets", new { tag = Fresh("RM-N"), category = "pc", room = "R102" })),
        ["GET /api/v1/assets/{tag}"] = _ => Task.FromResult(new Sample($"/api/v1/assets/{Asset}")),
        ["GET /api/v1/assets/{tag}/history"] = _ => Task.FromResult(new Sample($"/api/v1/assets/{Asset}/history")),
        ["PUT /api/v1/assets/{tag}/details"] = async _ => new Sample($"/api/v1/assets/{await FreshAssetAsync()}/details", new { category = "switch", model = "S5130" }),
        ["POST /api/v1/assets/{tag}/move"] = async _ => new Sample($"/api/v1/assets/{await FreshAssetAsync()}/move", new { room = "R102" }),
        ["POST /api/v1/assets/{tag}/status"] = async _ => new Sample($"/api/v1/assets/{await FreshAssetAsync()}/status", new { status = "maintenance" }),
        ["POST /api/v1/assets/{tag}/warranty"] = async _ => new Sample($"/api/v1/assets/{await FreshAssetAsync()}/warranty", new { warrantyEnd = "2030-01-31" }),
        ["POST /api/v1/assets/{tag}/retire"] = async _ => new Sample($"/api/v1/assets/{await FreshAssetAsync()}/retire", new { reason = "end of life" }),
        ["GET /api/v1/assets/{tag}/label.png"] = _ => Task.FromResult(new Sample($"/api/v1/assets/{Asset}/label.png")),
        ["GET /api/v1/assets/{tag}/label.svg"] = _ => Task.FromResult(new Sample($"/api/v1/assets/{Asset}/label.svg")),
        ["GET /api/v1/labels/sheet"] = _ => Task.FromResult(new Sample($"/api/v1/labels/sheet?tags={Asset}")),
        ["GET /api/v1/inventory/"] = _ => Task.FromResult(new Sample("/api/v1/inventory?rack=A01")),
        ["GET /api/v1/inventory/export.csv"] = _ => Task.FromResult(new Sample("/api/v1/inventory/export.csv")),
        ["GET /api/v1/inventory/export.xlsx"] = _ => Task.FromResult(new Sample("/api/v1/inventory/export.xlsx")),
        ["GET /api/v1/inventory/dashboard"] = _ => Task.FromResult(new Sample("/api/v1/inventory/dashboard")),
        ["POST /api/v1/inventory/import"] = _ => Task.FromResult(new Sample("/api/v1/inventory/import", Csv: $"tag,category,room\n{Fresh("RM-I")},printer,R102\n")),

        // Faults.
        ["GET /api/v1/faults/"] = _ => Task.FromResult(new Sample("/api/v1/faults?state=open")),
        ["GET /api/v1/faults/{faultId}"] = async _ => new Sample($"/api/v1/faults/{await FreshFaultAsync()}"),
        ["POST /api/v1/faults/"] = _ => Task.FromResult(new Sample("/api/v1/faults",
            new { level = "general", summary = "fan noise", assets = new[] { Asset }, source = "engineer" })),
        ["POST /api/v1/faults/{faultId}/acknowledge"] = async _ =>
            new Sample($"/api/v1/faults/{await FreshFaultAsync()}/acknowledge", new { }),
        ["POST /api/v1/faults/{faultId}/resolve"] = async _ =>
            new Sample($"/api/v1/faults/{await FreshFaultAsync()}/resolve", new { cause = "fan", action = "replaced" }),
        ["POST /api/v1/faults/{faultId}/classify"] = async _ =>
            new Sample($"/api/v1/faults/{await FreshFaultAsync()}/classify", new { level = "urgent", reason = "worse" }),
        ["POST /api/v1/faults/{faultId}/close"] = async _ =>
            new Sample($"/api/v1/faults/{await FreshFaultAsync(resolved: true)}/close", new { note = "ok" }),
        ["POST /api/v1/faults/{faultId}/reopen"] = async _ =>
            new Sample($"/api/v1/faults/{await FreshFaultAsync(resolved: true)}/reopen", new { reason = "again" }),

        // Operations.
        ["GET /api/v1/projections"] = _ => Task.FromResult(new Sample("/api/v1/projections")),
        ["POST /api/v1/projections/{name}/rebuild"] = _ => Task.FromResult(new Sample("/api/v1/projections/telemetry_hourly_rollups/rebuild", new { })),
        ["GET /api/v1/integrity/verify"] = _ => Task.FromResult(new Sample("/api/v1/integrity/verify")),

        // Telemetry.
        ["GET /api/v1/telemetry/devices"] = _ => Task.FromResult(new Sample("/api/v1/telemetry/devices")),
        ["GET /api/v1/telemetry/devices/{assetId}"] = _ => Task.FromResult(new Sample($"/api/v1/telemetry/devices/{Device}")),
        ["GET /api/v1/telemetry/devices/{assetId}/history"] = _ => Task.FromResult(new Sample($"/api/v1/telemetry/devices/{Device}/history")),
        ["GET /api/v1/telemetry/devices/{assetId}/history.csv"] = _ => Task.FromResult(new Sample($"/api/v1/telemetry/devices/{Device}/history.csv")),
        ["GET /api/v1/telemetry/devices/{assetId}/polling"] = _ => Task.FromResult(new Sample($"/api/v1/telemetry/devices/{Device}/polling")),
        ["PUT /api/v1/telemetry/devices/{assetId}/polling"] = _ => Task.FromResult(new Sample($"/api/v1/telemetry/devices/{Device}/polling",
            new { address = "127.0.0.1", port = 16161, profile = "ups-mib", version = "2c", intervalSeconds = 60 })),
        ["DELETE /api/v1/telemetry/devices/{assetId}/polling"] = async _ => new Sample($"/api/v1/telemetry/devices/{await FreshPolledDeviceAsync()}/polling"),
        ["GET /api/v1/telemetry/alarms"] = _ => Task.FromResult(new Sample("/api/v1/telemetry/alarms")),
        ["GET /api/v1/telemetry/alarms/summary"] = _ => Task.FromResult(new Sample("/api/v1/telemetry/alarms/summary")),
        ["POST /api/v1/telemetry/alarms/{assetId}/{rule}/acknowledge"] = _ => Task.FromResult(new Sample($"/api/v1/telemetry/alarms/{Device}/on_battery/acknowledge", new { comment = "seen" })),

        // The host's own.
        ["GET /health"] = _ => Task.FromResult(new Sample("/health")),
        ["GET /metrics"] = _ => Task.FromResult(new Sample("/metrics")),
        ["GET /openapi/{documentName}.json"] = _ => Task.FromResult(new Sample("/openapi/v1.json")),
        ["GET /culture/{culture}"] = _ => Task.FromResult(new Sample("/culture/zh-CN?returnUrl=/inventory", Success: 302)),

        // Pages, signed in with a cookie.
        ["GET /"] = _ => Task.FromResult(new Sample("/")),
        ["GET /inventory"] = _ => Task.FromResult(new Sample("/inventory?rack=A01")),
        ["GET /racks"] = _ => Task.FromResult(new Sample("/racks")),
        ["GET /racks/{code}"] = _ => Task.FromResult(new Sample("/racks/A01")),
        ["GET /assets/{tag}"] = _ => Task.FromResult(new Sample($"/assets/{Asset}")),
        ["GET /assets/register"] = _ => Task.FromResult(new Sample("/assets/register")),
        ["GET /assets/import"] = _ => Task.FromResult(new Sample("/assets/import")),
        ["GET /login"] = _ => Task.FromResult(new Sample("/login")),
        // Signing out is a POST; a GET just goes home.
        ["GET /logout"] = _ => Task.FromResult(new Sample("/logout", Success: 302)),
        // The page says "no" to whoever lands on it.
        ["GET /access-denied"] = _ => Task.FromResult(new Sample("/access-denied", Success: 403)),
        ["GET /telemetry"] = _ => Task.FromResult(new Sample("/telemetry")),
        ["GET /telemetry/devices/{assetId}"] = _ => Task.FromResult(new Sample($"/telemetry/devices/{Device}")),
        ["GET /alarms"] = _ => Task.FromResult(new Sample("/alarms")),
        ["GET /alarms/history"] = _ => Task.FromResult(new Sample("/alarms/history")),
        ["GET /security/sign-ins"] = _ => Task.FromResult(new Sample("/security/sign-ins?outcome=login_failed")),
        ["GET /security/verify"] = _ => Task.FromResult(new Sample("/security/verify")),
        ["GET /admin/users"] = _ => Task.FromResult(new Sample("/admin/users")),
        ["GET /admin/users/{name}"] = _ => Task.FromResult(new Sample("/admin/users/engineer1")),
        ["GET /admin/projections"] = _ => Task.FromResult(new Sample("/admin/projections")),
    };

    private List<Route> Routes() =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e =>
            {
                var page = e.Metadata.GetMetadata<PageActionDescriptor>() is not null;
                // Pages answer GET (their forms post with antiforgery tokens; PageTests drives those).
                var methods = page ? ["GET"] : e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
                return methods.Select(m => new Route(m, "/" + e.RoutePattern.RawText!.TrimStart('/'),
                    e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null),
                    e.Metadata.GetMetadata<IAllowAnonymous>() is not null, page));
            })
            .DistinctBy(r => r.Key)
            .ToList();

    [Fact]
    public void Every_route_names_a_known_policy_or_is_one_of_the_few_open_ones_and_has_a_sample()
    {
        var routes = Routes();
        routes.Should().HaveCountGreaterThan(50);
        routes.Where(r => !r.Anonymous && (r.Policy is null || !Policies.AllowedRoles.ContainsKey(r.Policy)))
            .Select(r => r.Key).Should().BeEmpty("every endpoint and page needs an explicit policy");
        // Open to strangers: signing in, the language switch, health and metrics for monitors, the API's description.
        routes.Where(r => r.Anonymous).Select(r => r.Key).Should().BeEquivalentTo(
            "POST /api/v1/session/", "GET /login", "GET /access-denied", "GET /culture/{culture}", "GET /health", "GET /metrics", "GET /openapi/{documentName}.json");
        var samples = Samples();
        routes.Select(r => r.Key).Where(k => !samples.ContainsKey(k)).Should().BeEmpty("every route needs a sample request in this matrix");
        samples.Keys.Where(k => routes.All(r => r.Key != k)).Should().BeEmpty("samples of routes that no longer exist should go");
    }

    [Fact]
    public async Task Every_api_route_answers_each_role_and_anonymous_as_its_policy_says()
    {
        var samples = Samples();
        var failures = new List<string>();
        var client = app.Client();
        foreach (var route in Routes().Where(r => !r.Page && samples.ContainsKey(r.Key)))
            foreach (var role in Roles.All.Cast<string?>().Append(null))
            {
                var sample = await samples[route.Key](role);
                using var request = new HttpRequestMessage(new HttpMethod(route.Method), sample.Url);
                if (sample.Json is not null) request.Content = JsonContent.Create(sample.Json);
                if (sample.Csv is not null) request.Content = new StringContent(sample.Csv, Encoding.UTF8, "text/csv");
                if (role is not null) request.Headers.Authorization = new("Bearer", DcAssetsApp.Tokens[role]);
                using var response = await client.SendAsync(request);
                var (ok, expected) = Judge(route, role, sample, response, page: false);
                if (!ok) failures.Add($"{route.Method} {sample.Url} as {role ?? "anonymous"}: expected {expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
        failures.Should().BeEmpty();
    }

    [Fact]
    public async Task Every_page_answers_each_signed_in_role_and_strangers_as_its_policy_says()
    {
        var samples = Samples();
        var browsers = new Dictionary<string, HttpClient>();
        foreach (var role in Roles.All)
        {
            var browser = app.Client(cookies: true);
            (await browser.PostAsJsonAsync("/api/v1/session", new { name = role + "1", password = DcAssetsApp.Password })).EnsureSuccessStatusCode();
            browsers[role] = browser;
        }
        var failures = new List<string>();
        foreach (var route in Routes().Where(r => r.Page && samples.ContainsKey(r.Key)))
            foreach (var role in Roles.All.Cast<string?>().Append(null))
            {
                var sample = await samples[route.Key](role);
                using var response = await (role is null ? app.Client(cookies: true) : browsers[role]).GetAsync(sample.Url);
                var (ok, expected) = Judge(route, role, sample, response, page: true);
                if (!ok) failures.Add($"page {sample.Url} as {role ?? "anonymous"}: expected {expected}, got {(int)response.StatusCode} {response.Headers.Location}");
            }
        failures.Should().BeEmpty();
    }

    /// <summary>Allowed: the sample's success. Refused: 401/403 for the API; for pages the sign-in form or the access-denied page.</summary>
    private static (bool Ok, string Expected) Judge(Route route, string? role, Sample sample, HttpResponseMessage r, bool page)
    {
        var status = (int)r.StatusCode;
        var location = r.Headers.Location?.ToString() ?? "";
        var allowed = route.Anonymous || (role is not null && Policies.AllowedRoles[route.Policy!].Contains(role));
        if (allowed)
        {
            var success = sample.Success is { } s ? status == s : status is >= 200 and < 300;
            // A redirect that is a success must not be a disguised refusal.
            if (success && status == 302) success = !location.Contains("/login") && !location.Contains("/access-denied");
            return (success, sample.Success?.ToString() ?? "2xx");
        }
        if (role is null)
            return page ? (status == 302 && location.Contains("/login?ReturnUrl="), "302 to the sign-in form") : (status == 401, "401");
        return page ? (status == 403 || (status == 302 && location.Contains("/access-denied")), "403 or 302 to the access-denied page") : (status == 403, "403");
    }
}
