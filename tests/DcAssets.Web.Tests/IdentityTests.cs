using System.Net;
using System.Net.Http.Json;
using DcAssets.Web.Tests.Infrastructure;

namespace DcAssets.Web.Tests;

/// <summary>Sign-in by cookie, tokens for scripts, people managed by admins, and every sign-in kept as an event.</summary>
public sealed class IdentityTests(DcAssetsApp app) : IClassFixture<DcAssetsApp>
{
    [Fact]
    public async Task A_person_signs_in_with_a_cookie_and_out_again_and_both_are_in_the_sign_in_log()
    {
        var browser = app.Client(cookies: true);
        var login = await browser.PostAsJsonAsync("/api/v1/session", new { name = "engineer1", password = DcAssetsApp.Password });
        login.StatusCode.Should().Be(HttpStatusCode.OK, await login.Content.ReadAsStringAsync());
        (await browser.GetAsync("/api/v1/inventory")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await browser.GetAsync("/api/v1/users")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await browser.DeleteAsync("/api/v1/session")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await browser.GetAsync("/api/v1/inventory")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        var log = await app.Scenario(x => { x.As("security").Get.Url("/api/v1/security/sign-ins"); x.StatusCodeShouldBe(200); });
        var mine = log.Json.AsArray().Where(e => e!["name"]!.GetValue<string>() == "engineer1").Select(e => e!["outcome"]!.GetValue<string>()).ToList();
        mine.Should().Contain(["login_succeeded", "logged_out"]);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_without_saying_which_part_was_wrong_and_is_logged()
    {
        var r = await app.Client().PostAsJsonAsync("/api/v1/session", new { name = "manager1", password = "not the password" });
        r.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        r.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        var unknown = await app.Client().PostAsJsonAsync("/api/v1/session", new { name = "nobody", password = "whatever" });
        Detail(await unknown.Content.ReadAsStringAsync()).Should().Be(Detail(await r.Content.ReadAsStringAsync()), "an unknown name and a wrong password read the same");

        var log = await app.Scenario(x => x.As("admin").Get.Url("/api/v1/security/sign-ins"));
        log.Json.AsArray().Should().Contain(e => e!["name"]!.GetValue<string>() == "manager1" && e["detail"]!.GetValue<string>() == "wrong password");
        log.Json.AsArray().Should().Contain(e => e!["name"]!.GetValue<string>() == "nobody" && e["detail"]!.GetValue<string>() == "unknown user");
    }

    [Fact]
    public async Task Admins_create_people_issue_tokens_shown_once_and_revoke_them()
    {
        await app.Scenario(x => { x.Post.Json(new { name = "wang.wei", role = "engineer", password = "short" }).ToUrl("/api/v1/users"); x.StatusCodeShouldBe(400); x.ProblemShouldName("password"); });
        await app.Scenario(x => { x.Post.Json(new { name = "wang.wei", role = "janitor", password = "long enough password" }).ToUrl("/api/v1/users"); x.StatusCodeShouldBe(400); x.ProblemShouldName("role"); });
        await app.Scenario(x => { x.Post.Json(new { name = "wang.wei", role = "engineer", password = "long enough password" }).ToUrl("/api/v1/users"); x.StatusCodeShouldBe(201); });
        await app.Scenario(x => { x.Post.Json(new { name = "wang.wei", role = "engineer", password = "long enough password" }).ToUrl("/api/v1/users"); x.StatusCodeShouldBe(409); x.ProblemShouldName("name"); });
        await app.Scenario(x => { x.Post.Json(new { role = "security" }).ToUrl("/api/v1/users/wang.wei/roles"); x.StatusCodeShouldBe(200); x.ContentShouldContain("security"); });

        var issued = await app.Scenario(x => { x.Post.Json(new { label = "backup script" }).ToUrl("/api/v1/users/wang.wei/tokens"); x.StatusCodeShouldBe(201); });
        var token = issued.Json["token"]!.GetValue<string>();
        var tokenId = issued.Json["tokenId"]!.GetValue<string>();
        var listed = await app.Scenario(x => x.Get.Url("/api/v1/users/wang.wei"));
        listed.Body.Should().NotContain(token.Split('_')[2], "the secret is shown once and never stored");

        var script = app.Client();
        script.DefaultRequestHeaders.Authorization = new("Bearer", token);
        (await script.GetAsync("/api/v1/security/sign-ins")).StatusCode.Should().Be(HttpStatusCode.OK, "the token acts with the user's roles");
        await app.Scenario(x => { x.Delete.Url($"/api/v1/users/wang.wei/tokens/{tokenId}"); x.StatusCodeShouldBe(200); });
        (await script.GetAsync("/api/v1/inventory")).StatusCode.Should().Be(HttpStatusCode.Unauthorized);

        await app.Scenario(x => { x.Post.Json(new { reason = "left the team" }).ToUrl("/api/v1/users/wang.wei/disable"); x.StatusCodeShouldBe(200); });
        (await app.Client().PostAsJsonAsync("/api/v1/session", new { name = "wang.wei", password = "long enough password" })).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Every_appended_event_carries_its_actor()
    {
        await app.Scenario(x => { x.As("admin").Post.Json(new { role = "manager" }).ToUrl("/api/v1/users/security1/roles"); x.StatusCodeShouldBe(200); });
        // People are on Marten: the actor's name is the event's user name, the rest are its headers.
        var stamped = await app.ScalarAsync<string>(
            "select user_name || ' ' || headers::text from dcassets.mt_events where stream_id = 'user-security1' and type = 'user_role_granted' order by seq_id desc limit 1");
        stamped.Should().StartWith("admin1 ").And.Contain("\"role\": \"admin\"").And.Contain("\"source\": \"api\"");
        (await app.ScalarAsync<long>("select count(*) from dcassets.mt_events where headers->>'actor_id' is null or headers->>'source' is null")).Should().Be(0);
    }

    private static string Detail(string body) => System.Text.Json.Nodes.JsonNode.Parse(body)!["detail"]!.GetValue<string>();
}
