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
        (await client.PostAsync("/login", new FormUrlEncodedContent([new("Name", "admin1")]))).StatusCode.Should().Be(HttpStatusCode.TooManyRequests, "the form shares the limit");
    }
}
