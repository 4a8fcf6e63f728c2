using DcAssets.Web.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace DcAssets.Web.Tests;

/// <summary>A host on a test clock (2026-12-01 10:00 Beijing time) with the machine room, for the fault API.</summary>
public sealed class FaultHost : IAsyncLifetime
{
    public static readonly DateTimeOffset Now = new(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8));
    public DcAssetsApp App { get; } = new() { Clock = new FakeTimeProvider(Now) };

    public async Task InitializeAsync()
    {
        await App.InitializeAsync();
        await MachineRoom.BuildAsync(App);
        await App.Scenario(x => { x.Post.Json(new { tag = "UPS-F1", category = "ups", room = "R101" })
            .ToUrl("/api/v1/assets"); x.StatusCodeShouldBe(201); });
    }

    public Task DisposeAsync() => App.DisposeAsync();
}

/// <summary>Fault tickets over /api/v1/faults: the contract's clock, the states and the refusals.</summary>
public sealed class FaultApiTests(FaultHost host) : IClassFixture<FaultHost>
{
    private async Task<string> ReportAsync(DateTimeOffset occurredAt, string level = "major")
    {
        var r = await host.App.Scenario(x =>
        {
            x.As("engineer").Post.Json(new { level, summary = "UPS-F1 on battery", assets = new[] { "UPS-F1" },
                source = "phone", occurredAt }).ToUrl("/api/v1/faults");
            x.StatusCodeShouldBe(201);
        });
        return r.Json["id"]!.GetValue<string>();
    }

    [Fact]
    public async Task A_fault_logged_after_the_fact_is_due_to_be_restored_an_hour_after_it_occurred()
    {
        var occurred = FaultHost.Now.AddMinutes(-20);
        var id = await ReportAsync(occurred);

        var f = await host.App.Scenario(x =>
        {
            x.As("security").Get.Url($"/api/v1/faults/{id}");
            x.StatusCodeShouldBe(200);
        });
        DateTimeOffset.Parse(f.Json["deadlines"]!["restoreBy"]!.GetValue<string>()).Should().Be(occurred.AddHours(1));
        f.Json["state"]!.GetValue<string>().Should().Be("open");
    }

    [Fact]
    public async Task A_level_not_in_the_contract_an_unknown_asset_and_a_future_moment_are_named_and_nothing_appended()
    {
        var before = await host.App.EventCountAsync();
        await host.App.Scenario(x =>
        {
            x.As("engineer").Post.Json(new { level = "catastrophic", summary = "x", assets = new[] { "NOPE-1" },
                source = "engineer", occurredAt = FaultHost.Now.AddHours(1) }).ToUrl("/api/v1/faults");
            x.StatusCodeShouldBe(400);
            x.ProblemShouldName("level");
            x.ProblemShouldName("assets");
            x.ProblemShouldName("occurredAt");
        });
        (await host.App.EventCountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task Acknowledging_records_the_response_time_on_the_hosts_clock()
    {
        var id = await ReportAsync(FaultHost.Now.AddMinutes(-12));
        var ack = await host.App.Scenario(x =>
        {
            x.As("engineer").Post.Json(new { }).ToUrl($"/api/v1/faults/{id}/acknowledge");
            x.StatusCodeShouldBe(200);
        });
        ack.Json["acknowledgedAt"].Should().NotBeNull();
        var history = await host.App.ScalarAsync<string>("select data::text from dcassets.mt_events " +
            $"where stream_id = 'fault-{id}' and type = 'fault_acknowledged'");
        history.Should().Contain("\"responseMinutes\": 12");
    }

    [Fact]
    public async Task A_closed_fault_cannot_be_resolved_again()
    {
        var id = await ReportAsync(FaultHost.Now.AddMinutes(-30), "general");
        await host.App.Scenario(x => { x.As("engineer").Post.Json(new { cause = "fan", action = "replaced" })
            .ToUrl($"/api/v1/faults/{id}/resolve"); x.StatusCodeShouldBe(200); });
        await host.App.Scenario(x => { x.As("manager").Post.Json(new { note = "checked" })
            .ToUrl($"/api/v1/faults/{id}/close"); x.StatusCodeShouldBe(200); });

        await host.App.Scenario(x =>
        {
            x.As("engineer").Post.Json(new { cause = "fan", action = "again" }).ToUrl($"/api/v1/faults/{id}/resolve");
            x.StatusCodeShouldBe(409);
            x.ProblemShouldName("state");
        });
    }
}
