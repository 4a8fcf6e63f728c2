using DcAssets.EventStore.Integrity;
using DcAssets.Web.Tests.Infrastructure;

namespace DcAssets.Web.Tests;

/// <summary>A web node with its daemon and a seal key, sealing every second.</summary>
public sealed class SealingHost : IAsyncLifetime
{
    public DcAssetsApp App { get; } = new()
    {
        Daemon = true,
        Sealing = new SealingOptions(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray()),
        Settings = { ["Sealing:EverySeconds"] = "1" },
    };

    public Task InitializeAsync() => App.InitializeAsync();
    public Task DisposeAsync() => App.DisposeAsync();
}

/// <summary>The history of people, kept on Marten, is sealed by the web node with our store's key.</summary>
public sealed class MartenSealingTests(SealingHost host) : IClassFixture<SealingHost>
{
    [Fact]
    public async Task The_web_node_seals_people_s_history_and_verify_checks_the_seal()
    {
        var app = host.App;
        await app.Scenario(x =>
        {
            x.Post.Json(new { name = "seal.me", role = "manager", password = "long enough password" })
                .ToUrl("/api/v1/users");
            x.StatusCodeShouldBe(201);
        });
        // Seals stop at Marten's high-water mark, which its async daemon moves; the test host runs that daemon here.
        using (var daemon = await app.Marten.BuildProjectionDaemonAsync())
        {
            await daemon.StartAllAsync();
            var until = DateTime.UtcNow.AddSeconds(60);
            while (await app.ScalarAsync<long>("select count(*) from dcassets.mt_integrity_seals") == 0)
            {
                DateTime.UtcNow.Should().BeBefore(until, "the node seals every second once the high-water mark moved");
                await Task.Delay(100);
            }
            await daemon.StopAllAsync();
        }
        var verify = await app.Scenario(x =>
        {
            x.As("security").Get.Url("/api/v1/integrity/verify");
            x.StatusCodeShouldBe(200);
        });
        verify.Json["people"]!["sealsChecked"]!.GetValue<int>().Should().BeGreaterThan(0);
        verify.Json["people"]!["intact"]!.GetValue<bool>().Should().BeTrue();
    }
}
