using DcAssets.Telemetry;
using DcAssets.Telemetry.Readings;
using DcAssets.Web.Tests.Infrastructure;

namespace DcAssets.Web.Tests;

/// <summary>A host that keeps its projection daemon running.</summary>
public sealed class DaemonHost : IAsyncLifetime
{
    public DcAssetsApp App { get; } = new() { Daemon = true };
    public Task InitializeAsync() => App.InitializeAsync();
    public Task DisposeAsync() => App.DisposeAsync();
}

/// <summary>Read models kept by the daemon (not inline) are read over HTTP once the projections have caught up.</summary>
public sealed class AsyncProjectionTests(DaemonHost host) : IClassFixture<DaemonHost>
{
    [Fact]
    public async Task Hourly_readings_are_served_once_the_daemon_has_caught_up_and_the_lag_is_zero()
    {
        var app = host.App;
        await MachineRoom.BuildAsync(app);
        await app.Scenario(x => { x.Post.Json(new { tag = "UPS-D1", category = "ups", room = "R101" }).ToUrl("/api/v1/assets"); x.StatusCodeShouldBe(201); });
        var now = DateTimeOffset.UtcNow;
        var hour = new DateTimeOffset(now.UtcDateTime.Date.AddHours(now.UtcDateTime.Hour), TimeSpan.Zero).AddHours(-2);
        long[] loads = [20, 30, 40];
        for (var i = 0; i < loads.Length; i++)
        {
            // As the poller records them: one event per poll in the device's day stream.
            var at = hour.AddMinutes(i * 10);
            await using var s =
                app.Marten.OpenSession(new Actor("poller:test", "poller", "system", EventSources.Poller));
            s.Events.Append(TelemetryStreams.Readings("UPS-D1", at),
                new UpsReadingRecorded("UPS-D1", "ups-mib", at, at, 2, "schedule", [new Reading("output_load.1", loads[i], 1, "%")]));
            await s.SaveChangesAsync();
        }

        await app.WaitForProjectionsAsync();

        var from = Uri.EscapeDataString(hour.ToString("O"));
        var to = Uri.EscapeDataString(hour.AddHours(1).ToString("O"));
        var hourly = await app.Scenario(x => { x.As("manager").Get.Url($"/api/v1/telemetry/devices/UPS-D1/history?resolution=hourly&from={from}&to={to}"); x.StatusCodeShouldBe(200); });
        var load = hourly.Json["points"]!.AsArray().Single()!["readings"]!["output_load.1"]!;
        load["count"]!.GetValue<long>().Should().Be(3);
        load["avg"]!.GetValue<double>().Should().Be(30);
        load["max"]!.GetValue<double>().Should().Be(40);

        var metrics = await app.Scenario(x => { x.As(null).Get.Url("/metrics"); x.StatusCodeShouldBe(200); });
        metrics.Body.Should().Contain("dcassets_projection_lag_events{projection=\"telemetry_hourly_rollups\"} 0")
            .And.Contain("dcassets_projection_lag_events{projection=\"telemetry_daily_rollups\"} 0");
    }

    [Fact]
    public async Task A_rebuild_asked_over_http_is_done_by_the_node_running_the_projection()
    {
        var app = host.App;
        var at = new DateTimeOffset(2026, 2, 1, 8, 0, 0, TimeSpan.Zero);
        var poller = new Actor("poller:test", "poller", "system", EventSources.Poller);
        await using (var s = app.Marten.OpenSession(poller))
        {
            s.Events.Append(TelemetryStreams.Readings("UPS-D2", at), new UpsReadingRecorded("UPS-D2", "ups-mib", at, at,
                2, "schedule", [new Reading("output_load.1", 50, 1, "%")]));
            await s.SaveChangesAsync();
        }
        await app.WaitForProjectionsAsync();
        var key = ReadingRollup.Key("UPS-D2", at);
        const string rollups = "dcassets.mt_doc_telemetry_hourly_rollups";
        await app.ExecAsync(
            $"update {rollups} set data = jsonb_set(data, '{{assetId}}', '\"spoiled\"') where id = '{key}'");

        await app.Scenario(x =>
        {
            x.Post.Json(new { }).ToUrl($"/api/v1/projections/{TelemetrySlice.HourlyRollups}/rebuild");
            x.StatusCodeShouldBe(202);
        });
        // The node's request service takes it on its next tick (the host's clock is the system's here).
        var done = "select count(*) from dcassets.projection_requests where kind = 'rebuild' " +
            $"and name = '{TelemetrySlice.HourlyRollups}' and finished_at is not null and error is null";
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await app.ScalarAsync<long>(done) == 0)
        {
            waited.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(60), "the node running the rollup rebuilds it");
            await Task.Delay(100);
        }
        (await app.ScalarAsync<string>($"select data->>'assetId' from {rollups} where id = '{key}'"))
            .Should().Be("UPS-D2", "the rebuild folded the events again");
        var status = await app.Scenario(x =>
        {
            x.As("security").Get.Url("/api/v1/projections");
            x.StatusCodeShouldBe(200);
        });
        status.Json.AsArray().Single(p => (string?)p!["name"] == TelemetrySlice.HourlyRollups)!["state"]!
            .GetValue<string>().Should().Be("running");
    }
}
