using System.Net;
using System.Net.Http.Json;
using DcAssets.Web.Tests.Infrastructure;

namespace DcAssets.Web.Tests;

/// <summary>A host allowing 3 sign-in attempts a minute per client address.</summary>
public sealed class TightLoginHost : IAsyncLifetime
{
    public DcAssetsApp App { get; } = new(kestrel: false, loginsPerMinute: 3);
    public Task InitializeAsync() => App.InitializeAsync();
    public Task DisposeAsync() => App.DisposeAsync();
}

public sealed class LoginRateLimitTests(TightLoginHost host) : IClassFixture<TightLoginHost>
{
    [Fact]
    public async Task Guessing_passwords_is_cut_off_with_429_problem_details_and_the_refused_attempts_append_nothing()
    {
        var client = host.App.Client();
        for (var i = 0; i < 3; i++)
            (await client.PostAsJsonAsync("/api/v1/session", new { name = "admin1", password = $"guess {i}" })).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var before = await host.App.EventCountAsync();
        var limited = await client.PostAsJsonAsync("/api/v1/session", new { name = "admin1", password = DcAssetsApp.Password });
        limited.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        limited.Content.Headers.ContentType!.MediaType.Should().Be("application/problem+json");
        (await host.App.EventCountAsync()).Should().Be(before);
    }
}

/// <summary>The sign-in form under the same limit, on a host of its own (the budget is per client address, and test clients share one).</summary>
public sealed class LoginFormRateLimitTests(TightLoginHost host) : IClassFixture<TightLoginHost>
{
    [Fact]
    public async Task The_login_form_shares_the_budget_and_says_so_in_the_readers_language()
    {
        var browser = host.App.Client(cookies: true);
        browser.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN");
        // Reading the form costs nothing; each posted attempt does, and the API and the form draw on one budget.
        var form = await browser.GetStringAsync("/login");
        for (var i = 0; i < 3; i++) await browser.GetStringAsync("/login");
        var token = System.Text.RegularExpressions.Regex.Match(form, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        FormUrlEncodedContent Attempt(string password) => new([new("Name", "engineer1"), new("Password", password), new("__RequestVerificationToken", token)]);

        (await browser.PostAsync("/login", Attempt("guess 1"))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await browser.PostAsJsonAsync("/api/v1/session", new { name = "engineer1", password = "guess 2" })).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await browser.PostAsync("/login", Attempt("guess 3"))).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var before = await host.App.EventCountAsync();
        var limited = await browser.PostAsync("/login", Attempt(DcAssetsApp.Password));
        limited.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        limited.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        limited.Headers.RetryAfter.Should().NotBeNull();
        var page = await limited.Content.ReadAsStringAsync();
        page.Should().Contain("登录尝试次数过多").And.Contain("name=\"Password\"", "the form is shown again, not problem JSON");
        (await host.App.EventCountAsync()).Should().Be(before, "a refused attempt checks no password and appends nothing");
    }
}
