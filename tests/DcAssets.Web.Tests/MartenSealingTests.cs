using DcAssets.Web.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace DcAssets.Web.Tests;

/// <summary>A web node with its daemon, a seal key and a test clock, sealing every second of that clock.</summary>
public sealed class SealingHost : IAsyncLifetime
{
    public DcAssetsApp App { get; } = new()
    {
        Daemon = true,
        Clock = new FakeTimeProvider(),
        Sealing = new SealingOptions(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
        Settings = { ["Sealing:EverySeconds"] = "1" },
    };

    public Task InitializeAsync() => App.InitializeAsync();
    public Task DisposeAsync() => App.DisposeAsync();
}

/// <summary>The history is sealed by the web node with the key kept outside the database.</summary>
public sealed class MartenSealingTests(SealingHost host) : IClassFixture<SealingHost>
{
    [Fact]
    public async Task The_web_node_seals_the_history_and_verify_checks_the_seal()
    {
        var app = host.App;
        await app.Scenario(x =>
        {
            x.Post.Json(new { name = "seal.me", role = "manager", password = "long enough password" })
                .ToUrl("/api/v1/users");
            x.StatusCodeShouldBe(201);
        });
        // Seals stop at Marten's high-water mark, which its async daemon moves: the host runs it (Daemon = true).
        // The clock moves a second at a time; each tick seals what the high-water mark has reached by then.
        var clock = (FakeTimeProvider)app.Clock!;
        var ticks = 0;
        while (await app.ScalarAsync<long>("select count(*) from dcassets.mt_integrity_seals") == 0)
        {
            (++ticks).Should().BeLessThan(600, "the node seals on its next tick once the high-water mark moved");
            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(50); // lets the tick's seal run; no deadline is waited for
        }
        var verify = await app.Scenario(x =>
        {
            x.As("security").Get.Url("/api/v1/integrity/verify");
            x.StatusCodeShouldBe(200);
        });
        verify.Json["sealsChecked"]!.GetValue<int>().Should().BeGreaterThan(0);
        verify.Json["intact"]!.GetValue<bool>().Should().BeTrue();
    }
}
