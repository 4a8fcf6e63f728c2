using DcAssets.Web.Tests.Infrastructure;

namespace DcAssets.Web.Tests;

/// <summary>The store's operations over HTTP: projection status, rebuild requests and history verification.</summary>
public sealed class OperationsTests(DcAssetsApp app) : IClassFixture<DcAssetsApp>, IAsyncLifetime
{
    public Task InitializeAsync() => app.OnceAsync("machine room", () => MachineRoom.BuildAsync(app));
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Projections_are_listed_for_auditors_and_admins_request_a_rebuild()
    {
        var status = await app.Scenario(x => { x.As("security").Get.Url("/api/v1/projections"); x.StatusCodeShouldBe(200); });
        status.Body.Should().Contain("telemetry_hourly_rollups").And.Contain("telemetry_daily_rollups");

        await app.Scenario(x => { x.Post.Json(new { }).ToUrl("/api/v1/projections/telemetry_hourly_rollups/rebuild"); x.StatusCodeShouldBe(202); });
        // The node whose daemon runs it takes the request (this host runs none: it stays open).
        (await app.ScalarAsync<bool>("select finished_at is null from dcassets.projection_requests " +
            "where name = 'telemetry_hourly_rollups' and kind = 'rebuild'")).Should().BeTrue();
        await app.Scenario(x => { x.Post.Json(new { }).ToUrl("/api/v1/projections/no_such_thing/rebuild"); x.StatusCodeShouldBe(404); x.ProblemShouldName("name"); });
        await app.Scenario(x => { x.As("engineer").Post.Json(new { }).ToUrl("/api/v1/projections/telemetry_hourly_rollups/rebuild"); x.StatusCodeShouldBe(403); });
    }

    [Fact]
    public async Task Verification_reports_an_intact_history_then_names_the_edited_position()
    {
        var ok = await app.Scenario(x => { x.As("security").Get.Url("/api/v1/integrity/verify"); x.StatusCodeShouldBe(200); });
        ok.Json["intact"]!.GetValue<bool>().Should().BeTrue();
        ok.Json["eventsChecked"]!.GetValue<long>().Should().BeGreaterThan(0);
        await app.Scenario(x => { x.As("security").Get.Url("/api/v1/integrity/verify?from=-1"); x.StatusCodeShouldBe(400); x.ProblemShouldName("from"); });

        var seq = await app.ScalarAsync<long>(
            "select max(seq_id) from dcassets.mt_events where data::text like '%R101%'");
        await app.ExecAsync(
            $"update dcassets.mt_events set data = replace(data::text, 'R101', 'R999')::jsonb where seq_id = {seq}");
        var bad = await app.Scenario(x => { x.As("admin").Get.Url("/api/v1/integrity/verify"); x.StatusCodeShouldBe(200); });
        bad.Json["intact"]!.GetValue<bool>().Should().BeFalse();
        bad.Json["firstMismatch"]!["position"]!.GetValue<long>().Should().Be(seq);
    }
}
