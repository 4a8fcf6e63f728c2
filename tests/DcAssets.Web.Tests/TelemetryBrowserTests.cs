using System.Net.Http.Json;
using DcAssets.Testing;
using DcAssets.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace DcAssets.Web.Tests;

/// <summary>The host on Kestrel with its poller and the projection daemon (for the rollups), one simulated UPS polled every second.</summary>
public sealed class TelemetryBrowserHost : IAsyncLifetime
{
    public DcAssetsApp App { get; } = new(kestrel: true, loginsPerMinute: 1000, telemetry: true) { Daemon = true };
    public TelemetrySimulator Ups { get; } = new();

    public async Task InitializeAsync()
    {
        await Task.WhenAll(App.InitializeAsync(), Ups.InitializeAsync());
        await MachineRoom.BuildAsync(App);
        // The host listens on Kestrel for the browser, so its setup goes over HTTP with an admin's token.
        using var api = App.Client();
        api.DefaultRequestHeaders.Authorization = new("Bearer", DcAssetsApp.Tokens["admin"]);
        (await api.PostAsJsonAsync("/api/v1/assets", new { tag = "UPS-B1", category = "ups", room = "R101", status = "in_service" }))
            .StatusCode.Should().Be(System.Net.HttpStatusCode.Created);
        (await api.PutAsJsonAsync("/api/v1/telemetry/devices/UPS-B1/polling",
            new { address = "127.0.0.1", port = Ups.Port, profile = "ups-mib", intervalSeconds = 2 }))
            .StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
    }

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Ups.DisposeAsync();
    }
}

/// <summary>A browser, a poller and the daemon at once are heavy on two cores: this class runs alone, after the parallel ones.</summary>
[CollectionDefinition(nameof(TelemetryBrowserCollection), DisableParallelization = true)]
public sealed class TelemetryBrowserCollection;

/// <summary>
/// Debian's chromium (ops/test.d/20-browser): the dashboard refreshes itself when a UPS goes on battery,
/// the alarm is acknowledged from the page, and the device page draws its uPlot charts from the rollups.
/// </summary>
[Collection(nameof(TelemetryBrowserCollection))]
public sealed class TelemetryBrowserTests(TelemetryBrowserHost host) : IClassFixture<TelemetryBrowserHost>
{
    [Fact]
    public async Task The_dashboard_turns_red_without_a_reload_the_alarm_is_acknowledged_and_the_device_page_draws_charts()
    {
        await using var browser = await TestBrowser.LaunchAsync();
        var page = await browser.PageAsync(host.App, "zh-CN", new() { Width = 1024, Height = 1366 });
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);

        await page.GotoAsync("/telemetry");
        await page.FillAsync("input[name=Name]", "engineer1");
        await page.FillAsync("input[name=Password]", DcAssetsApp.Password);
        await page.ClickAsync("button[type=submit]");
        await page.GotoAsync("/telemetry");
        (await page.InnerTextAsync("h1")).Should().Be("动环监控");
        var tile = page.Locator(".tile[data-asset='UPS-B1']");
        await tile.Locator("[data-reading='battery_charge']", new() { HasTextString = "100 %" }).WaitForAsync(new() { Timeout = 15000 });
        var source = tile.Locator("[data-reading='output_source output_status']");
        (await source.InnerTextAsync()).Should().Be("市电", "the output source is named, not numbered");

        // The page is never reloaded: a marker set now must survive the refreshes.
        await page.EvaluateAsync("() => window.notReloaded = true");
        await host.Ups.ControlAsync("on_battery", 1);
        await page.Locator(".tile.state-alarm[data-asset='UPS-B1']").WaitForAsync(new() { Timeout = 15000 });
        (await source.InnerTextAsync()).Should().Be("电池");
        var artifacts = Path.Combine(TestDatabase.RepoRoot(), ".data", "test-artifacts");
        Directory.CreateDirectory(artifacts);
        await page.ScreenshotAsync(new() { Path = Path.Combine(artifacts, "telemetry-dashboard-alarm-zh-CN.png") });
        var ack = page.Locator("tbody[data-alarms] form.ack button");
        await ack.WaitForAsync(new() { Timeout = 10000 });
        await ack.ClickAsync();
        await page.Locator("tbody[data-alarms]", new() { HasTextString = "engineer1" }).WaitForAsync(new() { Timeout = 10000 });
        (await page.EvaluateAsync<bool>("() => window.notReloaded === true")).Should().BeTrue();
        await host.Ups.ControlAsync("on_battery", 0);
        await page.Locator(".tile.state-normal[data-asset='UPS-B1']").WaitForAsync(new() { Timeout = 15000 });

        await page.GotoAsync("/telemetry/devices/UPS-B1");
        await page.Locator("#charts .uplot canvas").First.WaitForAsync(new() { Timeout = 20000 });
        (await page.Locator("#charts .chart h3").AllInnerTextsAsync()).Should().Contain(t => t.StartsWith("电池电量"));
        // The tile's key readings lead, drawn from every raw reading of the last 24 h; the others are folded.
        (await page.Locator("#charts > .chart h3").AllInnerTextsAsync()).Should().Contain(t => t.StartsWith("电池电量"))
            .And.NotContain(t => t.StartsWith("输入频率"));
        (await page.Locator("#charts > details .chart").CountAsync()).Should().BeGreaterThan(0);
        (await page.Locator("#charts > .chart .u-legend").First.InnerTextAsync()).Should().NotContain("平均");

        // The CSV export of a picked range: the last hour on the site's clock (Asia/Shanghai), raw, with raw integers
        // and scales.
        var site = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"));
        await page.FillAsync("form[data-export] input[name=from]", site.AddHours(-1).ToString("yyyy-MM-dd'T'HH:mm"));
        await page.FillAsync("form[data-export] input[name=to]", site.AddMinutes(5).ToString("yyyy-MM-dd'T'HH:mm"));
        await page.SelectOptionAsync("form[data-export] select[name=resolution]", "raw");
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("form[data-export] button"),
            new() { Timeout = 30000 }).WaitAsync(TimeSpan.FromSeconds(35))
            .ContinueWith(t => t.IsCompletedSuccessfully ? t.Result
                : throw new TimeoutException($"no download at {page.Url}; page errors: " + string.Join(" | ", errors),
                    t.Exception));
        var csv = await File.ReadAllLinesAsync((await download.PathAsync())!);
        csv[0].Should().Be("time,asset,reading,unit,value,raw,scale");
        csv.Should().Contain(l => l.EndsWith(",UPS-B1,battery_voltage,V,54.6,546,0.1"));
        errors.Should().BeEmpty();

        await page.ScreenshotAsync(new() { Path = Path.Combine(artifacts, "telemetry-device-zh-CN.png") });
    }

    [Fact]
    public async Task The_alarm_badge_on_another_page_counts_a_ups_on_battery_within_one_poll_and_times_agree()
    {
        await using var browser = await TestBrowser.LaunchAsync();
        var page = await browser.PageAsync(host.App, "zh-CN", TestBrowser.Tablet);
        await TestBrowser.SignInAsync(page, "engineer1");
        await page.GotoAsync("/inventory");
        var major = page.Locator("[data-alarm-badge] [data-severity=major]");
        await host.Ups.ControlAsync("on_battery", 1);
        try
        {
            // One poll (2 s) and one round of the badge (5 s), with room for a busy machine.
            await major.WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 20000 });
            (await major.Locator("[data-count]").InnerTextAsync()).Should().Be("1");

            // The same alarm's time on the dashboard (drawn by its script), the alarm list and the history.
            await page.GotoAsync("/alarms");
            var listed = await page.Locator("tr.severity-major time").First.InnerTextAsync();
            await page.GotoAsync("/telemetry");
            var dashboard = page.Locator("[data-alarms] tr.severity-major time").First;
            await page.WaitForFunctionAsync("() => document.querySelector('[data-updated]')?.textContent !== ''");
            (await dashboard.InnerTextAsync()).Should().Be(listed);
            await page.GotoAsync("/alarms/history?state=active");
            for (var i = 0; i < 50 && await page.Locator("tbody tr").CountAsync() == 0; i++)
            {
                await Task.Delay(200); // the history is an async projection: let the daemon catch up, then look again
                await page.ReloadAsync();
            }
            (await page.Locator("tbody tr td:nth-child(4)").First.InnerTextAsync()).Should().Be(listed);
            listed.Should().MatchRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$");
        }
        finally
        {
            await host.Ups.ControlAsync("on_battery", 0);
        }
        await major.WaitForAsync(new() { State = WaitForSelectorState.Hidden, Timeout = 20000 });
    }
}
