using DcAssets.Snmp;
using DcAssets.Snmp.Usm;
using DcAssets.Telemetry;
using DcAssets.Telemetry.Alarms;
using DcAssets.Telemetry.Polling;
using DcAssets.Telemetry.Readings;
using DcAssets.Tests.Telemetry.Infrastructure;

namespace DcAssets.Tests.Telemetry;

/// <summary>Polls a real snmpd (ops/snmp-sim) into a real PostgreSQL database.</summary>
public sealed class PollingTests : IAsyncLifetime
{
    private readonly SimulatedDevice _sim = new();
    private readonly TelemetryHarness _h = new();

    public async Task InitializeAsync() => await Task.WhenAll(_sim.InitializeAsync(), _h.InitializeAsync());

    public async Task DisposeAsync()
    {
        await _h.DisposeAsync();
        await _sim.DisposeAsync();
    }

    private async Task<T> PollOnceAsync<T>(string assetId, DateTimeOffset slot) where T : IReadingRecorded
    {
        var recorder = new PollRecorder(_h.Store, _h.Client, new PollerOptions { NodeId = "test" }.Actor);
        await using var q = _h.Store.QuerySession();
        var device = await q.LoadAsync<PolledDevice>(assetId);
        var target = PollTarget.From(device!.Config, _h.Profiles, _h.Sealer);
        await recorder.PollAsync(target, DeviceState.Initial, slot, PollTriggers.Schedule, true, default);
        var events = await q.Events.FetchStreamAsync(TelemetryStreams.Readings(assetId, slot));
        return events.Select(e => e.Data).OfType<T>().Should().ContainSingle().Subject;
    }

    [Fact]
    public async Task A_ups_mib_poll_lands_as_one_event_with_raw_values_scales_and_units()
    {
        await _h.ConfigureAsync(new ConfigurePolling("ups-a1", "127.0.0.1", "ups-mib", _sim.Port));
        var slot = Poller.Slot(DateTimeOffset.UtcNow, TimeSpan.FromSeconds(60));
        var e = await PollOnceAsync<UpsReadingRecorded>("ups-a1", slot);

        e.ScheduledAt.Should().Be(slot);
        e.LatencyMs.Should().BePositive();
        var r = e.Readings.ToDictionary(x => x.Name);
        r["battery_charge"].Should().Be(new Reading("battery_charge", 100, 1, "%"));
        r["battery_voltage"].Should().Be(new Reading("battery_voltage", 546, 0.1, "V"));
        r["battery_voltage"].Value.Should().BeApproximately(54.6, 1e-9);
        r["input_frequency.1"].Value.Should().BeApproximately(50, 1e-9);
        r["input_voltage.1"].Value.Should().Be(230);
        r["output_load.1"].Should().Be(new Reading("output_load.1", 23, 1, "%"));
        r["output_source"].Raw.Should().Be(3);
        r["battery_temperature"].Unit.Should().Be("°C");
        r.Should().NotContainKey("input_voltage.2"); // a single-phase unit: absent lines are skipped, not failed

        await using var q = _h.Store.QuerySession();
        var status = await q.LoadAsync<DeviceStatus>("ups-a1");
        status!.Readings["battery_charge"].Value.Should().Be(100);
        status.Reachable.Should().BeTrue();

        // The same scheduled poll again (a node taking over) appends nothing.
        await new PollRecorder(_h.Store, _h.Client, new PollerOptions().Actor).PollAsync(
            PollTarget.From((await q.LoadAsync<PolledDevice>("ups-a1"))!.Config, _h.Profiles, _h.Sealer), DeviceState.Initial, slot, PollTriggers.Schedule, true, default);
        (await q.Events.FetchStreamAsync(TelemetryStreams.Readings("ups-a1", slot))).Should().ContainSingle();
    }

    [Fact]
    public async Task A_liebert_poll_lands_as_an_ac_reading_with_tenths_of_degrees()
    {
        await _h.ConfigureAsync(new ConfigurePolling("crac-1", "127.0.0.1", "liebert-ac", _sim.Port));
        var e = await PollOnceAsync<AcReadingRecorded>("crac-1", Poller.Slot(DateTimeOffset.UtcNow, TimeSpan.FromSeconds(60)));
        var r = e.Readings.ToDictionary(x => x.Name);
        r["return_air_temperature"].Should().Be(new Reading("return_air_temperature", 240, 0.1, "°C"));
        r["supply_air_temperature"].Value.Should().BeApproximately(18, 1e-9);
        r["humidity"].Should().Be(new Reading("humidity", 45, 1, "%RH"));
        r["temperature_setpoint"].Value.Should().Be(22);
        r["unit_state"].Raw.Should().Be(1);
        e.ActiveAlarms.Should().BeEmpty();
    }

    [Fact]
    public async Task A_v3_auth_priv_device_is_polled_and_its_passwords_are_not_in_the_history()
    {
        await _h.ConfigureAsync(new ConfigurePolling("ups-v3", "127.0.0.1", "ups-mib", _sim.Port, SnmpVersion.V3, Community: null,
            V3User: new V3UserInput("authPrivUser", AuthProtocol.Sha1, "authpass123", PrivProtocol.Aes128, "privpass123")));
        var e = await PollOnceAsync<UpsReadingRecorded>("ups-v3", Poller.Slot(DateTimeOffset.UtcNow, TimeSpan.FromSeconds(60)));
        e.Readings.Single(r => r.Name == "battery_charge").Value.Should().Be(100);

        await using var cmd = _h.Store.DataSource.CreateCommand($"select count(*) from {_h.Store.Schema}.events where data::text like '%pass123%' or metadata::text like '%pass123%'");
        ((long)(await cmd.ExecuteScalarAsync())!).Should().Be(0);
    }

    [Fact]
    public async Task Forcing_the_unit_on_battery_raises_within_an_interval_and_restoring_clears_it_without_flapping()
    {
        await _h.ConfigureAsync(new ConfigurePolling("ups-b1", "127.0.0.1", "ups-mib", _sim.Port, IntervalSeconds: 1));
        await _h.StartPollerAsync("node-1");
        (await TelemetryHarness.EventuallyAsync(async () => (await _h.EventsAsync<UpsReadingRecorded>("ups-b1")).Count >= 2, TimeSpan.FromSeconds(10))).Should().BeTrue();

        await _sim.ControlAsync("on_battery", 1);
        var forced = DateTimeOffset.UtcNow;
        (await TelemetryHarness.EventuallyAsync(async () => (await _h.EventsAsync<AlarmRaised>("ups-b1")).Any(a => a.Rule == "on_battery"), TimeSpan.FromSeconds(5))).Should().BeTrue();
        var raised = (await _h.EventsAsync<AlarmRaised>("ups-b1")).Single(a => a.Rule == "on_battery");
        raised.Severity.Should().Be(FaultLevel.Major);
        (raised.RaisedAt - forced).Should().BeLessThan(TimeSpan.FromSeconds(2.5)); // one interval plus the scheduler tick

        await AlarmsAreActiveAsync("on_battery");
        await AcknowledgeAlarmHandler.HandleAsync(_h.Store, TelemetryHarness.Engineer, new AcknowledgeAlarm("ups-b1", "on_battery", "generator starting"));
        await Task.Delay(1500);
        await _sim.ControlAsync("on_battery", 0);
        (await TelemetryHarness.EventuallyAsync(async () => (await _h.EventsAsync<AlarmCleared>("ups-b1")).Any(a => a.Rule == "on_battery"), TimeSpan.FromSeconds(5))).Should().BeTrue();
        await Task.Delay(2500);

        (await _h.EventsAsync<AlarmRaised>("ups-b1")).Where(a => a.Rule == "on_battery").Should().ContainSingle();
        var cleared = (await _h.EventsAsync<AlarmCleared>("ups-b1")).Should().ContainSingle(a => a.Rule == "on_battery").Subject;
        cleared.AlarmId.Should().Be(raised.AlarmId);
        var ack = (await _h.EventsAsync<AlarmAcknowledged>("ups-b1")).Should().ContainSingle().Subject;
        ack.ActorName.Should().Be("Li Wei");
        await using var q = _h.Store.QuerySession();
        (await q.LoadAsync<ActiveAlarm>(ActiveAlarm.Key("ups-b1", "on_battery"))).Should().BeNull();
    }

    private async Task AlarmsAreActiveAsync(string rule)
    {
        await using var q = _h.Store.QuerySession();
        var active = await q.LoadAsync<ActiveAlarm>(ActiveAlarm.Key("ups-b1", rule));
        active!.Severity.Should().Be(FaultLevel.Major);
    }

    [Fact]
    public async Task An_unreachable_device_gives_one_poll_failed_and_the_unreachable_alarm_after_three_polls()
    {
        var deadPort = SimulatedDevice.FreeUdpPort();
        await _h.ConfigureAsync(new ConfigurePolling("ups-dead", "127.0.0.1", "ups-mib", deadPort, IntervalSeconds: 1));
        await _h.StartPollerAsync("node-1");
        (await TelemetryHarness.EventuallyAsync(async () => (await _h.EventsAsync<AlarmRaised>("ups-dead")).Count > 0, TimeSpan.FromSeconds(10))).Should().BeTrue();
        await Task.Delay(2000);

        var failed = (await _h.EventsAsync<PollFailed>("ups-dead")).Should().ContainSingle().Subject;
        failed.Reason.Should().Be(PollFailure.Timeout);
        var alarm = (await _h.EventsAsync<AlarmRaised>("ups-dead")).Should().ContainSingle().Subject;
        alarm.Rule.Should().Be(DefaultRules.Unreachable);
        alarm.Severity.Should().Be(FaultLevel.Major);
        // Raised by the third failed poll: two intervals after the first failure.
        (alarm.RaisedAt - failed.ScheduledAt).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(2));
        await using var q = _h.Store.QuerySession();
        (await q.LoadAsync<DeviceStatus>("ups-dead"))!.Reachable.Should().BeFalse();
    }

    [Fact]
    public async Task A_community_that_cannot_see_the_profile_fails_as_no_such_object()
    {
        await _h.ConfigureAsync(new ConfigurePolling("crac-x", "127.0.0.1", "liebert-ac", _sim.Port, Community: "upsonly"));
        var recorder = new PollRecorder(_h.Store, _h.Client, new PollerOptions().Actor);
        await using var q = _h.Store.QuerySession();
        var target = PollTarget.From((await q.LoadAsync<PolledDevice>("crac-x"))!.Config, _h.Profiles, _h.Sealer);
        await recorder.PollAsync(target, DeviceState.Initial, DateTimeOffset.UtcNow, PollTriggers.Schedule, true, default);
        (await _h.EventsAsync<PollFailed>("crac-x")).Should().ContainSingle().Which.Reason.Should().Be(PollFailure.NoSuchObject);
    }
}
