using System.Net;
using System.Net.Http.Json;
using DcAssets.Web.Tests.Infrastructure;
using static DcAssets.Web.Tests.Infrastructure.PageForms;

namespace DcAssets.Web.Tests;

/// <summary>Open sessions follow what admins do: a revoked role, a new password or a disabled account takes effect at the next request.</summary>
public sealed class SessionTests(DcAssetsApp app) : IClassFixture<DcAssetsApp>
{
    private const string Other = "another long password";

    private async Task<HttpClient> PersonAsync(string name, params string[] roles)
    {
        await app.Scenario(x => { x.Post.Json(new { name, role = roles[0], password = DcAssetsApp.Password }).ToUrl("/api/v1/users"); x.StatusCodeShouldBe(201); });
        foreach (var role in roles.Skip(1))
            await app.Scenario(x => { x.Post.Json(new { role }).ToUrl($"/api/v1/users/{name}/roles"); x.StatusCodeShouldBe(200); });
        return await SignInAsync(name, DcAssetsApp.Password);
    }

    private async Task<HttpClient> SignInAsync(string name, string password)
    {
        var browser = app.Client(cookies: true);
        (await browser.PostAsJsonAsync("/api/v1/session", new { name, password })).StatusCode.Should().Be(HttpStatusCode.OK);
        return browser;
    }

    private static Task<HttpResponseMessage> AddSite(HttpClient c, string code) => c.PostAsJsonAsync("/api/v1/sites", new { code, name = "Site " + code });

    [Fact]
    public async Task A_role_revoked_or_granted_over_http_applies_to_the_open_session_at_once()
    {
        var li = await PersonAsync("li.na", "engineer", "manager");
        (await AddSite(li, "S-LI-1")).StatusCode.Should().Be(HttpStatusCode.Created);
        (await li.GetAsync("/api/v1/security/sign-ins")).StatusCode.Should().Be(HttpStatusCode.Forbidden);

        await app.Scenario(x => { x.As("admin").Delete.Url("/api/v1/users/li.na/roles/engineer"); x.StatusCodeShouldBe(200); });
        (await AddSite(li, "S-LI-2")).StatusCode.Should().Be(HttpStatusCode.Forbidden, "engineer was revoked");
        (await li.GetAsync("/api/v1/inventory")).StatusCode.Should().Be(HttpStatusCode.OK, "still signed in as a manager");
        (await li.GetStringAsync("/")).Should().NotContain("href=\"/assets/register\"");

        await app.Scenario(x => { x.As("admin").Post.Json(new { role = "security" }).ToUrl("/api/v1/users/li.na/roles"); x.StatusCodeShouldBe(200); });
        (await li.GetAsync("/api/v1/security/sign-ins")).StatusCode.Should().Be(HttpStatusCode.OK, "security was granted");
    }

    [Fact]
    public async Task Disabling_a_person_ends_their_open_session_and_their_tokens()
    {
        var zhao = await PersonAsync("zhao.lei", "engineer");
        var issued = await app.Scenario(x => { x.Post.Json(new { label = "script" }).ToUrl("/api/v1/users/zhao.lei/tokens"); x.StatusCodeShouldBe(201); });
        var script = app.Client();
        script.DefaultRequestHeaders.Authorization = new("Bearer", issued.Json["token"]!.GetValue<string>());
        (await zhao.GetAsync("/api/v1/inventory")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await script.GetAsync("/api/v1/inventory")).StatusCode.Should().Be(HttpStatusCode.OK);

        await app.Scenario(x => { x.Post.Json(new { reason = "left" }).ToUrl("/api/v1/users/zhao.lei/disable"); x.StatusCodeShouldBe(200); });
        (await zhao.GetAsync("/api/v1/inventory")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await zhao.GetAsync("/inventory")).Headers.Location!.ToString().Should().Contain("/login");
        (await script.GetAsync("/api/v1/inventory")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_new_password_ends_every_other_session_but_keeps_the_one_that_changed_it()
    {
        var desk = await PersonAsync("sun.yu", "manager");
        var tablet = await SignInAsync("sun.yu", DcAssetsApp.Password);
        var change = await desk.PutAsJsonAsync("/api/v1/session/password", new { currentPassword = DcAssetsApp.Password, password = Other });
        change.StatusCode.Should().Be(HttpStatusCode.OK);
        (await desk.GetAsync("/api/v1/inventory")).StatusCode.Should().Be(HttpStatusCode.OK, "the session that changed it is re-issued");
        (await tablet.GetAsync("/api/v1/inventory")).StatusCode.Should().Be(HttpStatusCode.Unauthorized, "signed in with the old password");

        // An admin's reset ends them all.
        await app.Scenario(x => { x.Put.Json(new { password = DcAssetsApp.Password }).ToUrl("/api/v1/users/sun.yu/password"); x.StatusCodeShouldBe(200); });
        (await desk.GetAsync("/api/v1/inventory")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Signing_out_from_the_page_is_recorded_as_an_event()
    {
        var browser = app.Client(cookies: true);
        var form = await browser.GetStringAsync("/login");
        (await browser.PostAsync("/login", Form(("Name", "security1"), ("Password", DcAssetsApp.Password), ("__RequestVerificationToken", Token(form)))))
            .StatusCode.Should().Be(HttpStatusCode.Redirect);
        var page = await browser.GetStringAsync("/inventory");
        var before = await app.ScalarAsync<long>("select count(*) from dcassets.mt_events where type = 'logged_out' and stream_id = 'user-security1'");

        var signOut = await browser.PostAsync("/logout", Form(("__RequestVerificationToken", Token(page))));
        signOut.Headers.Location!.ToString().Should().Be("/login");
        (await browser.GetAsync("/inventory")).StatusCode.Should().Be(HttpStatusCode.Redirect);

        (await app.ScalarAsync<long>("select count(*) from dcassets.mt_events where type = 'logged_out' and stream_id = 'user-security1'")).Should().Be(before + 1);
        var log = await app.Scenario(x => { x.As("security").Get.Url("/api/v1/security/sign-ins"); x.StatusCodeShouldBe(200); });
        var last = log.Json.AsArray().First(e => e!["name"]!.GetValue<string>() == "security1")!;
        last["outcome"]!.GetValue<string>().Should().Be("logged_out");
        last["source"]!.GetValue<string>().Should().Be("ui");
    }
}
