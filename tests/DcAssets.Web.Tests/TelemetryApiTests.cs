using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using DcAssets.Web.Tests.Infrastructure;

namespace DcAssets.Web.Tests;

/// <summary>
/// The host with its own poller and the projection daemon (for the alarm history), two snmpd simulators,
/// and three polled assets configured through the API: UPS-T1 (v2c) and PAC-T1 (SNMPv3 authPriv) on one
/// simulator, UPS-T2 (v2c, forced on battery) on the other.
/// </summary>
public sealed class TelemetryRoom : IAsyncLifetime
{
    public const string CredentialKey = "web-tests credential key, 32 bytes or more";
    // The host's daemons run too: the alarm history is an async projection in Marten's.
    public DcAssetsApp App { get; } = new(kestrel: false, loginsPerMinute: 1000, telemetry: true) { Daemon = true };
    public TelemetrySimulator Quiet { get; } = new();
    public TelemetrySimulator OnBattery { get; } = new();

    public async Task InitializeAsync()
    {
        // Read by the poller when the host starts and by the API when it seals v3 passwords.
        if (Environment.GetEnvironmentVariable("DCASSETS_CREDENTIAL_KEY_FILE") is null)
            Environment.SetEnvironmentVariable("DCASSETS_CREDENTIAL_KEY", CredentialKey);
        await Task.WhenAll(App.InitializeAsync(), Quiet.InitializeAsync(), OnBattery.InitializeAsync());
        await MachineRoom.BuildAsync(App);
        foreach (var (tag, category) in new[] { ("UPS-T1", "ups"), ("UPS-T2", "ups"), ("UPS-T3", "ups"), ("PAC-T1", "precision_ac"), ("SRV-T1", "server") })
            await App.Scenario(x =>
            {
                x.Post.Json(new { tag, category, make = "Vertiv", room = "R101", status = "in_service" }).ToUrl("/api/v1/assets");
                x.StatusCodeShouldBe(201);
            });
        await Configure("UPS-T1", new { address = "127.0.0.1", port = Quiet.Port, profile = "ups-mib", version = "2c", intervalSeconds = 2 });
        await Configure("UPS-T2", new { address = "127.0.0.1", port = OnBattery.Port, profile = "ups-mib", intervalSeconds = 2 });
        await Configure("PAC-T1", new
        {
            address = "127.0.0.1", port = Quiet.Port, profile = "liebert-ac", version = "3", intervalSeconds = 2,
            v3User = new { name = "authPrivUser", authProtocol = "sha", authPassword = "authpass123", privProtocol = "aes", privPassword = "privpass123" },
        });
    }

    private Task Configure(string tag, object body) =>
        App.Scenario(x => { x.As("engineer").Put.Json(body).ToUrl($"/api/v1/telemetry/devices/{tag}/polling"); x.StatusCodeShouldBe(200); });

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Task.WhenAll(Quiet.DisposeAsync(), OnBattery.DisposeAsync());
    }

    /// <summary>GETs the URL until the answer satisfies the condition (the poller works on its own time).</summary>
    public async Task<JsonNode> EventuallyAsync(string url, Func<JsonNode, bool> condition, int seconds = 20)
    {
        var sw = Stopwatch.StartNew();
        JsonNode last = null!;
        while (sw.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            last = (await App.Scenario(x => { x.As("manager").Get.Url(url); x.StatusCodeShouldBe(200); })).Json;
            if (condition(last)) return last;
            await Task.Delay(200);
        }
        throw new Xunit.Sdk.XunitException($"{url} did not reach the expected state within {seconds} s; last answer:\n{last.ToJsonString()}");
    }
}

public sealed class TelemetryApiTests(TelemetryRoom room) : IClassFixture<TelemetryRoom>
{
    private DcAssetsApp App => room.App;

    private static JsonNode? Reading(JsonNode device, string name) =>
        device["readings"]!.AsArray().FirstOrDefault(r => (string?)r!["name"] == name);

    [Fact]
    public async Task Configured_polling_shows_the_latest_readings_with_values_units_and_state()
    {
        var ups = await room.EventuallyAsync("/api/v1/telemetry/devices/UPS-T1", d => Reading(d, "battery_charge") is not null);
        Reading(ups, "battery_charge")!["value"]!.GetValue<double>().Should().Be(100);
        Reading(ups, "battery_charge")!["unit"]!.GetValue<string>().Should().Be("%");
        Reading(ups, "battery_voltage")!["value"]!.GetValue<double>().Should().BeApproximately(54.6, 1e-9);
        Reading(ups, "battery_voltage")!["raw"]!.GetValue<long>().Should().Be(546);
        ups["state"]!.GetValue<string>().Should().Be("normal");
        ups["category"]!.GetValue<string>().Should().Be("ups");
        ups["room"]!.GetValue<string>().Should().Be("R101");

        // SNMPv3 authPriv: polled with the sealed passwords.
        var ac = await room.EventuallyAsync("/api/v1/telemetry/devices/PAC-T1", d => Reading(d, "return_air_temperature") is not null);
        Reading(ac, "return_air_temperature")!["value"]!.GetValue<double>().Should().BeApproximately(24, 1e-9);
        Reading(ac, "return_air_temperature")!["unit"]!.GetValue<string>().Should().Be("°C");
        Reading(ac, "humidity")!["unit"]!.GetValue<string>().Should().Be("%RH");

        var all = (await App.Scenario(x => { x.As("security").Get.Url("/api/v1/telemetry/devices"); x.StatusCodeShouldBe(200); })).Json.AsArray();
        all.Select(d => (string?)d!["assetId"]).Should().Contain(["UPS-T1", "UPS-T2", "PAC-T1"]);
    }

    [Fact]
    public async Task V3_passwords_are_sealed_and_never_returned()
    {
        var polling = await App.Scenario(x => { x.As("engineer").Get.Url("/api/v1/telemetry/devices/PAC-T1/polling"); x.StatusCodeShouldBe(200); });
        polling.Body.Should().NotContain("authpass123").And.NotContain("privpass123").And.NotContain("v1:");
        polling.Json["v3User"]!["hasAuthPassword"]!.GetValue<bool>().Should().BeTrue();
        polling.Json["version"]!.GetValue<string>().Should().Be("v3");
        var stored = await App.ScalarAsync<string>(
            "select string_agg(data::text, ' ') from dcassets.mt_events where type = 'polling_configured'");
        stored.Should().NotContain("authpass123").And.Contain("v1:");
        // Readers may see values but not how a device is reached.
        await App.Scenario(x => { x.As("manager").Get.Url("/api/v1/telemetry/devices/PAC-T1/polling"); x.StatusCodeShouldBe(403); });
    }

    [Fact]
    public async Task On_battery_raises_an_alarm_the_api_lists_an_engineer_acknowledges_and_restore_clears()
    {
        await room.EventuallyAsync("/api/v1/telemetry/devices/UPS-T2", d => Reading(d, "output_source") is not null);
        await room.OnBattery.ControlAsync("on_battery", 1);
        var alarms = await room.EventuallyAsync("/api/v1/telemetry/alarms",
            a => a.AsArray().Any(x => (string?)x!["assetId"] == "UPS-T2" && (string?)x["rule"] == "on_battery"));
        var alarm = alarms.AsArray().Single(x => (string?)x!["assetId"] == "UPS-T2" && (string?)x["rule"] == "on_battery")!;
        alarm["severity"]!.GetValue<string>().Should().Be("major");
        (await room.EventuallyAsync("/api/v1/telemetry/devices/UPS-T2", d => (string?)d["state"] == "alarm"))["alarms"]!.AsArray().Should().NotBeEmpty();

        // Readers cannot acknowledge; an engineer can, and is named.
        await App.Scenario(x => { x.As("manager").Post.Json(new { comment = "x" }).ToUrl("/api/v1/telemetry/alarms/UPS-T2/on_battery/acknowledge"); x.StatusCodeShouldBe(403); });
        var acked = await App.Scenario(x =>
        {
            x.As("engineer").Post.Json(new { comment = "generator starting" }).ToUrl("/api/v1/telemetry/alarms/UPS-T2/on_battery/acknowledge");
            x.StatusCodeShouldBe(200);
        });
        acked.Json["acknowledgedBy"]!.GetValue<string>().Should().Be("engineer1");
        var actor = await App.ScalarAsync<string>(
            "select user_name from dcassets.mt_events " +
            "where type = 'alarm_acknowledged' and stream_id = 'telemetry-UPS-T2'");
        actor.Should().Be("engineer1");

        await room.OnBattery.ControlAsync("on_battery", 0);
        await room.EventuallyAsync("/api/v1/telemetry/alarms", a => !a.AsArray().Any(x => (string?)x!["assetId"] == "UPS-T2" && (string?)x["rule"] == "on_battery"));
        await room.EventuallyAsync("/api/v1/telemetry/devices/UPS-T2", d => (string?)d["state"] == "normal");

        // The history keeps it, with how long the UPS was on battery against the contracts' hour for a major fault.
        var from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O"));
        // (Other tests of this room may have put the same UPS on battery before: this alarm is found by its id.)
        var id = alarm["alarmId"]!.GetValue<string>();
        var history = (await room.EventuallyAsync($"/api/v1/telemetry/alarms?state=all&from={from}", h => h.AsArray()
            .Any(x => (string?)x!["alarmId"] == id && (string?)x["state"] == "cleared"))).AsArray();
        var record = history.Single(x => (string?)x!["alarmId"] == id)!;
        record["alarmId"]!.GetValue<string>().Should().Be(alarm["alarmId"]!.GetValue<string>());
        record["state"]!.GetValue<string>().Should().Be("cleared");
        record["acknowledgedBy"]!.GetValue<string>().Should().Be("engineer1");
        record["durationSeconds"]!.GetValue<double>().Should().BePositive();
        record["acknowledgedAfterSeconds"]!.GetValue<double>().Should().BeLessThan(record["durationSeconds"]!.GetValue<double>());
        record["restoreTargetSeconds"]!.GetValue<double>().Should().Be(3600);
        record["restoredInTime"]!.GetValue<bool>().Should().BeTrue();
        (await App.Scenario(x => { x.As("manager").Get.Url($"/api/v1/telemetry/alarms?state=active&from={from}"); x.StatusCodeShouldBe(200); })).Json.AsArray()
            .Should().NotContain(x => (string?)x!["alarmId"] == (string?)record["alarmId"]);
        (await App.Scenario(x => { x.As("manager").Get.Url($"/api/v1/telemetry/alarms?state=cleared&from={from}"); x.StatusCodeShouldBe(200); })).Json.AsArray()
            .Should().Contain(x => (string?)x!["alarmId"] == (string?)record["alarmId"]);
    }

    [Fact]
    public async Task A_ups_on_battery_opens_a_major_fault_whose_clock_starts_at_the_poll_that_raised_the_alarm()
    {
        await room.EventuallyAsync("/api/v1/telemetry/devices/UPS-T2", d => Reading(d, "output_source") is not null);
        await room.OnBattery.ControlAsync("on_battery", 1);
        try
        {
            var alarms = await room.EventuallyAsync("/api/v1/telemetry/alarms",
                a => a.AsArray().Any(x => (string?)x!["assetId"] == "UPS-T2" && (string?)x["rule"] == "on_battery"));
            var alarm = alarms.AsArray()
                .Single(x => (string?)x!["assetId"] == "UPS-T2" && (string?)x["rule"] == "on_battery")!;
            var alarmId = alarm["alarmId"]!.GetValue<string>();

            var faults = await room.EventuallyAsync("/api/v1/faults",
                f => f.AsArray().Any(x => (string?)x!["alarmId"] == alarmId));
            var fault = faults.AsArray().Single(x => (string?)x!["alarmId"] == alarmId)!;

            fault["level"]!.GetValue<string>().Should().Be("major");
            var raisedAt = DateTimeOffset.Parse(alarm["raisedAt"]!.GetValue<string>());
            DateTimeOffset.Parse(fault["occurredAt"]!.GetValue<string>()).Should().Be(raisedAt);
            DateTimeOffset.Parse(fault["deadlines"]!["restoreBy"]!.GetValue<string>()).Should().Be(raisedAt.AddHours(1));
            fault["assets"]!.AsArray().Select(a => a!.GetValue<string>()).Should().Equal("UPS-T2");
        }
        finally
        {
            await room.OnBattery.ControlAsync("on_battery", 0);
            await room.EventuallyAsync("/api/v1/telemetry/alarms", a => !a.AsArray()
                .Any(x => (string?)x!["assetId"] == "UPS-T2" && (string?)x["rule"] == "on_battery"));
        }
    }

    [Fact]
    public async Task A_raw_history_range_comes_as_json_and_as_csv()
    {
        await room.EventuallyAsync("/api/v1/telemetry/devices/UPS-T1", d => Reading(d, "battery_charge") is not null);
        var from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(-10).ToString("O"));
        var to = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddMinutes(1).ToString("O"));
        var range = await room.EventuallyAsync($"/api/v1/telemetry/devices/UPS-T1/history?from={from}&to={to}&resolution=raw", r => r["points"]!.AsArray().Count >= 2);
        range["resolution"]!.GetValue<string>().Should().Be("raw");
        var first = range["points"]!.AsArray()[0]!;
        first["readings"]!["battery_charge"]!["value"]!.GetValue<double>().Should().Be(100);
        first["readings"]!["battery_charge"]!["unit"]!.GetValue<string>().Should().Be("%");
        first["readings"]!["battery_voltage"]!["raw"]!.GetValue<long>().Should().Be(546);
        first["readings"]!["battery_voltage"]!["scale"]!.GetValue<double>().Should().Be(0.1);

        var csv = await App.Scenario(x =>
        {
            x.As("manager").Get.Url($"/api/v1/telemetry/devices/UPS-T1/history.csv?from={from}&to={to}&resolution=raw");
            x.StatusCodeShouldBe(200);
            x.MediaTypeShouldBe("text/csv");
        });
        var lines = csv.Body.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Trim().Should().Be("time,asset,reading,unit,value,raw,scale");
        lines.Should().Contain(l => l.TrimEnd().EndsWith(",UPS-T1,battery_charge,%,100,100,1"));
        lines.Should().Contain(l => l.TrimEnd().EndsWith(",UPS-T1,battery_voltage,V,54.6,546,0.1"));

        // Rolled-up ranges answer from the rollup documents (filled by Marten's daemon behind the appends).
        var hourly = (await App.Scenario(x => { x.As("manager").Get.Url("/api/v1/telemetry/devices/UPS-T1/history?resolution=hourly"); x.StatusCodeShouldBe(200); })).Json;
        hourly["resolution"]!.GetValue<string>().Should().Be("hourly");
    }

    [Fact]
    public async Task Bad_input_is_refused_naming_the_field_and_appends_nothing()
    {
        var before = await CommandEventsAsync();
        async Task Refused(Action<Scenario> send, string field, int status = 400) =>
            await App.Scenario(x => { send(x); x.StatusCodeShouldBe(status); x.ProblemShouldName(field); });

        await Refused(x => x.Get.Url("/api/v1/telemetry/devices/UPS-T1/history?resolution=minutely"), "resolution");
        await Refused(x => x.Get.Url("/api/v1/telemetry/devices/UPS-T1/history?from=yesterday"), "from");
        await Refused(x => x.Get.Url("/api/v1/telemetry/devices/UPS-T1/history?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z"), "to");
        await Refused(x => x.Get.Url("/api/v1/telemetry/devices/UPS-T1/history.csv?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&resolution=raw"), "to");
        await Refused(x => x.Get.Url("/api/v1/telemetry/devices/NOPE-1/history"), "assetId", 404);

        var polling = "/api/v1/telemetry/devices/UPS-T1/polling";
        await Refused(x => x.Put.Json(new { address = "127.0.0.1", profile = "ups-mib", port = 70000 }).ToUrl(polling), "port");
        await Refused(x => x.Put.Json(new { address = "127.0.0.1", profile = "ups-mib", version = "4" }).ToUrl(polling), "version");
        await Refused(x => x.Put.Json(new { address = "127.0.0.1", profile = "no-such-mib" }).ToUrl(polling), "profile");
        await Refused(x => x.Put.Json(new { address = "127.0.0.1", profile = "liebert-ac" }).ToUrl(polling), "profile");
        await Refused(x => x.Put.Json(new { profile = "ups-mib", intervalSeconds = 0 }).ToUrl(polling), "intervalSeconds");
        await Refused(x => x.Put.Json(new { address = "127.0.0.1", profile = "ups-mib", intervalSeconds = 1 }).ToUrl(polling), "intervalSeconds");
        await Refused(x => x.Put.Json(new { address = "127.0.0.1", profile = "ups-mib", ruleOverrides = new[] { new { rule = "on_fire" } } }).ToUrl(polling), "ruleOverrides[0].rule");
        await Refused(x => x.Put.Json(new { address = "127.0.0.1", profile = "ups-mib",
            ruleOverrides = new[] { new { rule = "output_overload", conditions = new[] { new { reading = "output_load.*", op = "hotter", value = 70 } } } } }).ToUrl(polling), "ruleOverrides[0].conditions[0].op");
        await Refused(x => x.Put.Json(new { address = "127.0.0.1", profile = "ups-mib", nominalInputVoltage = 5 }).ToUrl(polling), "nominalInputVoltage");
        await Refused(x => x.Get.Url("/api/v1/telemetry/alarms?state=lingering"), "state");
        await Refused(x => x.Delete.Url("/api/v1/telemetry/devices/SRV-T1/polling"), "assetId", 404);
        await Refused(x => x.Put.Json(new { address = "127.0.0.1", profile = "ups-mib", version = "3", v3User = new { name = "u", authProtocol = "sha", authPassword = "short" } }).ToUrl(polling), "v3User.authPassword");
        await Refused(x => x.Put.Json(new { address = "127.0.0.1", profile = "ups-mib" }).ToUrl("/api/v1/telemetry/devices/SRV-T1/polling"), "assetId");
        await Refused(x => x.Put.Json(new { address = "127.0.0.1", profile = "ups-mib" }).ToUrl("/api/v1/telemetry/devices/NOPE-1/polling"), "assetId", 404);
        await Refused(x => x.Post.Json(new { }).ToUrl("/api/v1/telemetry/alarms/UPS-T1/battery_low/acknowledge"), "rule", 404);

        // The poller keeps appending readings meanwhile: count only what these requests could have appended.
        (await CommandEventsAsync()).Should().Be(before);
    }

    [Fact]
    public async Task Rule_overrides_are_set_shown_kept_when_left_out_and_polling_is_removed()
    {
        var url = "/api/v1/telemetry/devices/UPS-T3/polling";
        var set = await App.Scenario(x =>
        {
            x.As("engineer").Put.Json(new
            {
                address = "127.0.0.1", port = room.Quiet.Port, profile = "ups-mib", intervalSeconds = 30, nominalInputVoltage = 230, trapCommunity = "row-c",
                ruleOverrides = new object[]
                {
                    new { rule = "output_overload", severity = "major", conditions = new[] { new { reading = "output_load.*", op = "above", value = 70, hysteresis = 3 } }, raiseAfterSeconds = 120 },
                    new { rule = "device_unreachable", raiseAfterPolls = 5 },
                },
            }).ToUrl(url);
            x.StatusCodeShouldBe(200);
        });
        var overrides = set.Json["ruleOverrides"]!.AsArray();
        overrides.Select(o => (string?)o!["rule"]).Should().Equal("output_overload", "device_unreachable");
        overrides[0]!["conditions"]![0]!["op"]!.GetValue<string>().Should().Be("above");
        overrides[0]!["raiseAfterSeconds"]!.GetValue<double>().Should().Be(120);
        overrides[1]!["raiseAfterPolls"]!.GetValue<int>().Should().Be(5);
        set.Json["nominalInputVoltage"]!.GetValue<double>().Should().Be(230);

        // A PUT without them keeps them; the GET shows them in the shape the PUT takes.
        await App.Scenario(x => { x.As("admin").Put.Json(new { address = "127.0.0.1", port = room.Quiet.Port, profile = "ups-mib", intervalSeconds = 60 }).ToUrl(url); x.StatusCodeShouldBe(200); });
        var shown = (await App.Scenario(x => { x.As("engineer").Get.Url(url); x.StatusCodeShouldBe(200); })).Json;
        shown["intervalSeconds"]!.GetValue<int>().Should().Be(60);
        shown["ruleOverrides"]!.AsArray().Should().HaveCount(2);
        shown["trapCommunity"]!.GetValue<string>().Should().Be("row-c");

        await App.Scenario(x => { x.As("manager").Delete.Url(url); x.StatusCodeShouldBe(403); });
        await App.Scenario(x => { x.As("engineer").Delete.Url("/api/v1/telemetry/devices/ups-t3/polling"); x.StatusCodeShouldBe(204); });
        await App.Scenario(x => { x.As("engineer").Get.Url(url); x.StatusCodeShouldBe(404); });
        await App.Scenario(x => { x.As("engineer").Delete.Url(url); x.StatusCodeShouldBe(404); x.ProblemShouldName("assetId"); });
        (await App.ScalarAsync<long>(
            "select count(*) from dcassets.mt_events " +
            "where type = 'polling_removed' and stream_id = 'telemetry-UPS-T3'"))
            .Should().Be(1);
    }

    private Task<long> CommandEventsAsync() =>
        App.ScalarAsync<long>("select count(*) from dcassets.mt_events " +
            "where type in ('polling_configured', 'polling_removed', 'alarm_acknowledged')");

    [Fact]
    public async Task The_dashboard_and_device_pages_render_in_chinese_with_their_scripts()
    {
        await room.EventuallyAsync("/api/v1/telemetry/devices/UPS-T1", d => Reading(d, "battery_charge") is not null);
        var client = App.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/telemetry");
        request.Headers.Authorization = new("Bearer", DcAssetsApp.Tokens["manager"]);
        request.Headers.AcceptLanguage.ParseAdd("zh-CN");
        using var response = await client.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var html = await response.Content.ReadAsStringAsync();
        html.Should().Contain("<html lang=\"zh-CN\"").And.Contain("动环监控").And.Contain("UPS-T1").And.Contain("PAC-T1")
            .And.Contain("电池电量").And.Contain("src=\"/telemetry/dashboard.js");

        using var device = new HttpRequestMessage(HttpMethod.Get, "/telemetry/devices/UPS-T1");
        device.Headers.Authorization = new("Bearer", DcAssetsApp.Tokens["manager"]);
        device.Headers.AcceptLanguage.ParseAdd("zh-CN");
        var page = await (await client.SendAsync(device)).Content.ReadAsStringAsync();
        page.Should().Contain("UPS-T1").And.Contain("/lib/uplot/uPlot.iife.min.js").And.Contain("24 小时");

        foreach (var file in new[] { "/lib/uplot/uPlot.iife.min.js", "/lib/uplot/uPlot.min.css", "/telemetry/dashboard.js", "/telemetry/device.js" })
        {
            using var r = new HttpRequestMessage(HttpMethod.Get, file);
            r.Headers.Authorization = new("Bearer", DcAssetsApp.Tokens["manager"]);
            (await client.SendAsync(r)).StatusCode.Should().Be(HttpStatusCode.OK, file);
        }
    }
}
