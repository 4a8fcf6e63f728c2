using Microsoft.Extensions.DependencyInjection;
using DcAssets.Web.Tests.Infrastructure;

namespace DcAssets.Web.Tests;

/// <summary>Health, metrics, OpenAPI and QR labels.</summary>
public sealed class HostTests(DcAssetsApp app) : IClassFixture<DcAssetsApp>, IAsyncLifetime
{
    public Task InitializeAsync() => app.OnceAsync("machine room", () => MachineRoom.BuildAsync(app));
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Health_is_unhealthy_while_a_projection_is_faulted()
    {
        await app.Scenario(x => { x.As(null).Get.Url("/health"); x.StatusCodeShouldBe(200); x.ContentShouldContain("healthy"); });
        await PauseAsync("telemetry_alarm_history", "boom");
        try
        {
            await app.Scenario(x =>
            {
                x.As(null).Get.Url("/health");
                x.StatusCodeShouldBe(503);
                x.ContentShouldContain("telemetry_alarm_history: boom");
            });
        }
        finally { await ResumeAsync("telemetry_alarm_history"); }
    }

    [Fact]
    public async Task Metrics_count_requests_by_route_and_events_appended_in_prometheus_text()
    {
        await app.Scenario(x => { x.Get.Url("/api/v1/inventory"); x.StatusCodeShouldBe(200); });
        var metrics = await app.Scenario(x => { x.As(null).Get.Url("/metrics"); x.StatusCodeShouldBe(200); x.MediaTypeShouldBe("text/plain"); });
        metrics.Body.Should().Contain("# TYPE dcassets_http_request_duration_seconds histogram")
            .And.MatchRegex("dcassets_http_request_duration_seconds_count\\{method=\"GET\",route=\"/api/v1/inventory/\",status=\"200\"\\} [1-9]")
            .And.MatchRegex("dcassets_events_appended_total [1-9]");
    }

    [Fact]
    public async Task Metrics_show_npgsql_connections_and_commands_from_its_own_meter()
    {
        await app.Scenario(x => { x.Get.Url("/api/v1/inventory"); x.StatusCodeShouldBe(200); });
        var metrics = await ScrapeAsync();
        const string pool = "db_client_connection_pool_name=\"dcassets\"";
        metrics.Should().Contain("# TYPE npgsql_db_client_connection_count gauge")
            .And.MatchRegex($"npgsql_db_client_connection_count\\{{{pool},db_client_connection_state=\"idle\"\\}} [0-9]")
            .And.MatchRegex($"npgsql_db_client_operation_duration_count\\{{{pool},[^}}]*\\}} [1-9]");
    }

    [Fact]
    public async Task Metrics_name_the_store_pool_dcassets_rather_than_by_its_connection_string()
    {
        var database = new Npgsql.NpgsqlConnectionStringBuilder(
            app.Services.GetRequiredService<DcAssets.Web.DcAssetsDatabase>().ConnectionString).Database;
        var metrics = await ScrapeAsync();
        metrics.Should().Contain("db_client_connection_pool_name=\"dcassets\"").And.NotContain($"Database={database}");
    }

    [Fact]
    public async Task Metrics_show_the_runtime_meter_and_the_process_but_not_the_runtime_private_diagnostics()
    {
        var metrics = await ScrapeAsync();
        metrics.Should().Contain("# TYPE system_runtime_dotnet_gc_collections gauge")
            .And.Contain("# TYPE process_cpu_seconds_total counter")
            .And.NotContain("private_internaldiagnostics");
    }

    [Fact]
    public async Task Metrics_flag_a_faulted_projection_until_it_is_gone()
    {
        await PauseAsync("telemetry_daily_rollups", "boom");
        try
        {
            (await ScrapeAsync()).Should().Contain("dcassets_projection_faulted{projection=\"telemetry_daily_rollups\"} 1");
        }
        finally { await ResumeAsync("telemetry_daily_rollups"); }
        (await ScrapeAsync()).Should().Contain("dcassets_projection_faulted{projection=\"telemetry_daily_rollups\"} 0");
    }

    // As Marten's daemon records a projection it paused on an event it could not apply (this host runs no daemon).
    private Task PauseAsync(string projection, string reason) => app.ExecAsync($"""
        insert into dcassets.mt_event_progression (name, last_seq_id, pause_reason, agent_status)
        values ('{projection}:All', 0, '{reason}', 'Paused')
        on conflict (name) do update set pause_reason = excluded.pause_reason, agent_status = excluded.agent_status
        """);

    private Task ResumeAsync(string projection) =>
        app.ExecAsync($"delete from dcassets.mt_event_progression where name = '{projection}:All'");

    private async Task<string> ScrapeAsync() =>
        (await app.Scenario(x => { x.As(null).Get.Url("/metrics"); x.StatusCodeShouldBe(200); })).Body;

    [Fact]
    public async Task The_openapi_document_lists_the_api()
    {
        var doc = await app.Scenario(x => { x.As(null).Get.Url("/openapi/v1.json"); x.StatusCodeShouldBe(200); });
        doc.Body.Should().Contain("/api/v1/assets/{tag}/move").And.Contain("/api/v1/inventory/");
    }

    [Fact]
    public async Task The_openapi_document_lists_the_asset_collection_as_a_get_beside_the_inventory()
    {
        var doc = await app.Scenario(x => { x.As(null).Get.Url("/openapi/v1.json"); x.StatusCodeShouldBe(200); });
        var paths = doc.Json["paths"]!.AsObject();
        paths["/api/v1/assets"]!.AsObject().Select(p => p.Key).Should().Contain(["get", "post"]);
        paths["/api/v1/inventory"]!.AsObject().Select(p => p.Key).Should().Contain("get");
    }

    [Fact]
    public async Task A_label_carries_the_asset_page_url_as_png_svg_and_on_an_a4_sheet()
    {
        await app.Scenario(x => { x.Post.Json(new { tag = "QR-1", category = "switch", room = "R101" }).ToUrl("/api/v1/assets"); x.StatusCodeShouldBe(201); });
        var png = await app.Scenario(x => { x.As("manager").Get.Url("/api/v1/assets/QR-1/label.png"); x.StatusCodeShouldBe(200); x.MediaTypeShouldBe("image/png"); });
        png.Body.Should().StartWith("\uFFFDPNG");
        var svg = await app.Scenario(x => { x.Get.Url("/api/v1/assets/QR-1/label.svg"); x.StatusCodeShouldBe(200); x.ContentShouldContain("<svg"); });
        // The code is the asset page's URL: the same text encoded independently draws the same symbol.
        using (var generator = new QRCoder.QRCodeGenerator())
            svg.Body.Should().Be(new QRCoder.SvgQRCode(generator.CreateQrCode("http://localhost/assets/QR-1", QRCoder.QRCodeGenerator.ECCLevel.M)).GetGraphic(4));
        await app.Scenario(x => { x.Get.Url("/api/v1/labels/sheet?tags=QR-1"); x.StatusCodeShouldBe(200); x.ContentShouldContain("size: A4"); x.ContentShouldContain("QR-1"); });
        await app.Scenario(x => { x.Get.Url("/api/v1/labels/sheet?tags=QR-1,NOPE-9"); x.StatusCodeShouldBe(404); x.ProblemShouldName("tags"); });
        await app.Scenario(x => { x.Get.Url("/api/v1/assets/NOPE-9/label.png"); x.StatusCodeShouldBe(404); });
    }

    [Fact]
    public async Task A_label_sheet_pointing_to_a_loopback_address_warns_that_no_phone_can_open_it()
    {
        await app.Scenario(x => { x.Post.Json(new { tag = "QR-L1", category = "switch", room = "R101" })
            .ToUrl("/api/v1/assets"); x.StatusCodeShouldBe(201); });
        var sheet = await app.Scenario(x => { x.Get.Url("/api/v1/labels/sheet?tags=QR-L1"); x.StatusCodeShouldBe(200); });
        sheet.Body.Should().Contain("class=\"warn\"").And.Contain("http://localhost").And.Contain("DCASSETS_PUBLIC_URL");
    }
}
