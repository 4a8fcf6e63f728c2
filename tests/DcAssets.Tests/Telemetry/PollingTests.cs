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
        await recorder.PollAsync(target, DeviceState.Initial, slot, PollTriggers.Schedule, default);
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
        r["nominal_input_voltage"].Should().Be(new Reading("nominal_input_voltage", 230, 1, "V")); // upsConfigInputVoltage
        r.Should().NotContainKey("input_voltage.2"); // a single-phase unit: absent lines are skipped, not failed

        await using var q = _h.Store.QuerySession();
        var status = await q.LoadAsync<DeviceStatus>("ups-a1");
        status!.Readings["battery_charge"].Value.Should().Be(100);
        status.Reachable.Should().BeTrue();

        // The same scheduled poll again (a node taking over) appends nothing.
        await new PollRecorder(_h.Store, _h.Client, new PollerOptions().Actor).PollAsync(
            PollTarget.From((await q.LoadAsync<PolledDevice>("ups-a1"))!.Config, _h.Profiles, _h.Sealer), DeviceState.Initial, slot, PollTriggers.Schedule, default);
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
    public async Task An_apc_powernet_poll_scales_timeticks_and_reads_gauges()
    {
        await _h.ConfigureAsync(new ConfigurePolling("ups-apc", "127.0.0.1", "apc-powernet", _sim.Port));
        var e = await PollOnceAsync<UpsReadingRecorded>("ups-apc", Poller.Slot(DateTimeOffset.UtcNow, TimeSpan.FromSeconds(60)));
        e.Profile.Should().Be("apc-powernet");
        var r = e.Readings.ToDictionary(x => x.Name);
        r["battery_minutes_remaining"].Raw.Should().Be(270000, "upsAdvBatteryRunTimeRemaining is TimeTicks");
        r["battery_minutes_remaining"].Value.Should().BeApproximately(45, 1e-9);
        r["battery_minutes_remaining"].Unit.Should().Be("min");
        r["battery_charge"].Should().Be(new Reading("battery_charge", 100, 1, "%"));
        r["battery_temperature"].Should().Be(new Reading("battery_temperature", 27, 1, "°C"));
        r["battery_voltage"].Should().Be(new Reading("battery_voltage", 54, 1, "V"));
        r["input_voltage.1"].Should().Be(new Reading("input_voltage.1", 228, 1, "V"));
        r["input_frequency.1"].Should().Be(new Reading("input_frequency.1", 50, 1, "Hz"));
        r["output_status"].Should().Be(new Reading("output_status", 2, 1, "enum"));
        r["output_load.1"].Should().Be(new Reading("output_load.1", 31, 1, "%"));
        r["output_current.1"].Should().Be(new Reading("output_current.1", 12, 1, "A"));
        r["seconds_on_battery"].Value.Should().Be(0);
    }

    [Fact]
    public async Task The_shipped_eaton_yaml_profile_is_polled_with_its_scales_and_units()
    {
        await _h.ConfigureAsync(new ConfigurePolling("ups-eaton", "127.0.0.1", "eaton-xups", _sim.Port));
        var e = await PollOnceAsync<UpsReadingRecorded>("ups-eaton", Poller.Slot(DateTimeOffset.UtcNow, TimeSpan.FromSeconds(60)));
        e.Profile.Should().Be("eaton-xups");
        var r = e.Readings.ToDictionary(x => x.Name);
        r.Keys.Should().BeEquivalentTo(["battery_minutes_remaining", "battery_voltage", "battery_charge", "input_frequency.1", "input_voltage.1",
            "output_load.1", "output_source", "nominal_input_voltage"]);
        r["battery_minutes_remaining"].Raw.Should().Be(2700, "xupsBatTimeRemaining is in seconds");
        r["battery_minutes_remaining"].Value.Should().BeApproximately(45, 1e-9);
        r["battery_minutes_remaining"].Unit.Should().Be("min");
        r["input_frequency.1"].Value.Should().BeApproximately(50, 1e-9);
        r["input_frequency.1"].Unit.Should().Be("Hz");
        r["input_voltage.1"].Should().Be(new Reading("input_voltage.1", 229, 1, "V"));
        r["battery_charge"].Should().Be(new Reading("battery_charge", 100, 1, "%"));
        r["output_source"].Raw.Should().Be(3);
        r["nominal_input_voltage"].Value.Should().Be(230);
    }

    [Fact]
    public async Task The_eaton_unit_on_battery_raises_its_yaml_rule()
    {
        await _h.ConfigureAsync(new ConfigurePolling("ups-eaton", "127.0.0.1", "eaton-xups", _sim.Port));
        await _sim.ControlAsync("on_battery", 1);
        await PollOnceAsync<UpsReadingRecorded>("ups-eaton", Poller.Slot(DateTimeOffset.UtcNow, TimeSpan.FromSeconds(60)));
        (await _h.EventsAsync<AlarmRaised>("ups-eaton")).Should().ContainSingle().Which.Rule.Should().Be("on_battery");
    }

    [Fact]
    public async Task A_v3_auth_priv_device_is_polled_and_its_passwords_are_not_in_the_history()
    {
        await _h.ConfigureAsync(new ConfigurePolling("ups-v3", "127.0.0.1", "ups-mib", _sim.Port, SnmpVersion.V3, Community: null,
            V3User: new V3UserInput("authPrivUser", AuthProtocol.Sha1, "authpass123", PrivProtocol.Aes128, "privpass123")));
        var e = await PollOnceAsync<UpsReadingRecorded>("ups-v3", Poller.Slot(DateTimeOffset.UtcNow, TimeSpan.FromSeconds(60)));
        e.Readings.Single(r => r.Name == "battery_charge").Value.Should().Be(100);

        (await _h.ScalarAsync<long>(
                "select count(*) from dcassets.mt_events " +
                "where data::text like '%pass123%' or headers::text like '%pass123%'"))
            .Should().Be(0);
    }

    [Fact]
    public async Task Forcing_the_unit_on_battery_raises_within_an_interval_and_restoring_clears_it_without_flapping()
    {
        await _h.ConfigureAsync(new ConfigurePolling("ups-b1", "127.0.0.1", "ups-mib", _sim.Port, IntervalSeconds: 2));
        await _h.StartPollerAsync("node-1");
        (await TelemetryHarness.EventuallyAsync(async () => (await _h.EventsAsync<UpsReadingRecorded>("ups-b1")).Count >= 2, TimeSpan.FromSeconds(15))).Should().BeTrue();

        await _sim.ControlAsync("on_battery", 1);
        var forced = DateTimeOffset.UtcNow;
        (await TelemetryHarness.EventuallyAsync(async () => (await _h.EventsAsync<AlarmRaised>("ups-b1")).Any(a => a.Rule == "on_battery"), TimeSpan.FromSeconds(8))).Should().BeTrue();
        var raised = (await _h.EventsAsync<AlarmRaised>("ups-b1")).Single(a => a.Rule == "on_battery");
        raised.Severity.Should().Be(FaultLevel.Major);
        (raised.RaisedAt - forced).Should().BeLessThan(TimeSpan.FromSeconds(3)); // one interval plus the scheduler tick and the poll

        await AlarmsAreActiveAsync("on_battery");
        await AcknowledgeAlarmHandler.RunAsync(_h.Store, TelemetryHarness.Engineer, new AcknowledgeAlarm("ups-b1", "on_battery", "generator starting"));
        await _sim.ControlAsync("on_battery", 0);
        (await TelemetryHarness.EventuallyAsync(async () => (await _h.EventsAsync<AlarmCleared>("ups-b1")).Any(a => a.Rule == "on_battery"), TimeSpan.FromSeconds(10))).Should().BeTrue();
        var cleared = (await _h.EventsAsync<AlarmCleared>("ups-b1")).Single(a => a.Rule == "on_battery");
        var onMains = (await _h.EventsAsync<UpsReadingRecorded>("ups-b1"))
            .Where(r => r.ScheduledAt > raised.ScheduledAt && r.Readings.Single(x => x.Name == "output_source").Raw == 3).OrderBy(r => r.ScheduledAt).ToList();
        cleared.ScheduledAt.Should().Be(onMains[1].ScheduledAt, "it clears on the second normal poll, not the first");
        // Two more polls: nothing raised or cleared again.
        var polls = (await _h.EventsAsync<UpsReadingRecorded>("ups-b1")).Count;
        (await TelemetryHarness.EventuallyAsync(async () => (await _h.EventsAsync<UpsReadingRecorded>("ups-b1")).Count >= polls + 2, TimeSpan.FromSeconds(10))).Should().BeTrue();

        (await _h.EventsAsync<AlarmRaised>("ups-b1")).Where(a => a.Rule == "on_battery").Should().ContainSingle();
        (await _h.EventsAsync<AlarmCleared>("ups-b1")).Should().ContainSingle(a => a.Rule == "on_battery").Which.AlarmId.Should().Be(raised.AlarmId);
        var ack = (await _h.EventsAsync<AlarmAcknowledged>("ups-b1")).Should().ContainSingle().Subject;
        ack.ActorName.Should().Be("Li Wei");
        await using var q = _h.Store.QuerySession();
        (await q.LoadAsync<ActiveAlarm>(ActiveAlarm.Key("ups-b1", "on_battery"))).Should().BeNull();
    }

    [Fact]
    public async Task A_rule_override_changes_when_the_poller_raises_the_alarm()
    {
        // The simulator's load is 23 %: under the profile's 80 %, over this asset's 20 %.
        await _h.ConfigureAsync(new ConfigurePolling("ups-o1", "127.0.0.1", "ups-mib", _sim.Port, IntervalSeconds: 2, RuleOverrides:
            [new RuleOverrideInput("output_overload", Severity: "major", Conditions: [new ConditionInput("output_load.*", "above", 20)], RaiseAfterSeconds: 0)]));
        await _h.ConfigureAsync(new ConfigurePolling("ups-o2", "127.0.0.1", "ups-mib", _sim.Port, IntervalSeconds: 2));
        // A dead port with device_unreachable raised at the first failed poll instead of the third.
        await _h.ConfigureAsync(new ConfigurePolling("ups-o3", "127.0.0.1", "ups-mib", SimulatedDevice.FreeUdpPort(), IntervalSeconds: 2, RuleOverrides:
            [new RuleOverrideInput("device_unreachable", RaiseAfterPolls: 1)]));
        await _h.StartPollerAsync("node-1");
        (await TelemetryHarness.EventuallyAsync(async () => (await _h.EventsAsync<UpsReadingRecorded>("ups-o2")).Count >= 2
            && (await _h.EventsAsync<AlarmRaised>("ups-o3")).Count > 0, TimeSpan.FromSeconds(15))).Should().BeTrue();

        var overload = (await _h.EventsAsync<AlarmRaised>("ups-o1")).Should().ContainSingle().Subject;
        overload.Rule.Should().Be("output_overload");
        overload.Severity.Should().Be(FaultLevel.Major);
        overload.Value.Should().Be(23);
        overload.ScheduledAt.Should().Be((await _h.EventsAsync<UpsReadingRecorded>("ups-o1")).First().ScheduledAt, "raised by the first poll");
        (await _h.EventsAsync<AlarmRaised>("ups-o2")).Should().BeEmpty();
        var failed = (await _h.EventsAsync<PollFailed>("ups-o3")).Should().ContainSingle().Subject;
        (await _h.EventsAsync<AlarmRaised>("ups-o3")).Should().ContainSingle().Which.ScheduledAt.Should().Be(failed.ScheduledAt);
    }

    [Fact]
    public async Task Removing_polling_clears_the_devices_active_alarms_in_the_same_save()
    {
        await _h.ConfigureAsync(new ConfigurePolling("ups-rm", "127.0.0.1", "ups-mib", _sim.Port));
        await _sim.ControlAsync("on_battery", 1);
        await PollOnceAsync<UpsReadingRecorded>("ups-rm", Poller.Slot(DateTimeOffset.UtcNow, TimeSpan.FromSeconds(60)));
        var raised = (await _h.EventsAsync<AlarmRaised>("ups-rm")).Should().ContainSingle().Subject;

        await RemovePollingHandler.RunAsync(_h.Store, TelemetryHarness.Engineer, _h.Assets,
            new RemovePolling("ups-rm"));

        var cleared = (await _h.EventsAsync<AlarmCleared>("ups-rm")).Should().ContainSingle().Subject;
        cleared.AlarmId.Should().Be(raised.AlarmId);
        cleared.Message.Should().Contain("polling removed");
        await using var q = _h.Store.QuerySession();
        (await q.LoadAsync<ActiveAlarm>(ActiveAlarm.Key("ups-rm", raised.Rule))).Should().BeNull();
        // One transaction wrote both: the rows share the inserting transaction's id.
        (await _h.ScalarAsync<long>("select count(distinct xmin::text) from dcassets.mt_events " +
            "where stream_id = 'telemetry-ups-rm' and type in ('alarm_cleared', 'polling_removed')")).Should().Be(1);
    }

    [Fact]
    public async Task An_active_alarm_whose_rule_is_switched_off_is_cleared_by_the_next_poll()
    {
        await _h.ConfigureAsync(new ConfigurePolling("ups-off", "127.0.0.1", "ups-mib", _sim.Port));
        await _sim.ControlAsync("on_battery", 1);
        var slot = Poller.Slot(DateTimeOffset.UtcNow, TimeSpan.FromSeconds(60));
        await PollOnceAsync<UpsReadingRecorded>("ups-off", slot);
        var raised = (await _h.EventsAsync<AlarmRaised>("ups-off")).Should().ContainSingle().Subject;

        // Still on battery, but the asset no longer has the rule: the next poll (by a node that rebuilt its state) ends the alarm.
        await _h.ConfigureAsync(new ConfigurePolling("ups-off", "127.0.0.1", "ups-mib", _sim.Port, RuleOverrides: [new RuleOverrideInput(raised.Rule, Enabled: false)]));
        var recorder = new PollRecorder(_h.Store, _h.Client, new PollerOptions { NodeId = "test" }.Actor);
        await using var q = _h.Store.QuerySession();
        var target = PollTarget.From((await q.LoadAsync<PolledDevice>("ups-off"))!.Config, _h.Profiles, _h.Sealer);
        var state = await recorder.PollAsync(target, await recorder.LoadStateAsync("ups-off", default), slot.AddMinutes(1), PollTriggers.Schedule, default);

        (await _h.EventsAsync<AlarmCleared>("ups-off")).Should().ContainSingle().Which.AlarmId.Should().Be(raised.AlarmId);
        (await q.LoadAsync<ActiveAlarm>(ActiveAlarm.Key("ups-off", raised.Rule))).Should().BeNull();
        state.Rules.Should().NotContainKey(raised.Rule);
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
        await _h.ConfigureAsync(new ConfigurePolling("ups-dead", "127.0.0.1", "ups-mib", deadPort, IntervalSeconds: 2));
        await _h.StartPollerAsync("node-1");
        (await TelemetryHarness.EventuallyAsync(async () => (await _h.EventsAsync<AlarmRaised>("ups-dead")).Count > 0, TimeSpan.FromSeconds(20))).Should().BeTrue();
        await Task.Delay(TimeSpan.FromSeconds(4.5)); // two more failed polls, which must append nothing

        var failed = (await _h.EventsAsync<PollFailed>("ups-dead")).Should().ContainSingle().Subject;
        failed.Reason.Should().Be(PollFailure.Timeout);
        var alarm = (await _h.EventsAsync<AlarmRaised>("ups-dead")).Should().ContainSingle().Subject;
        alarm.Rule.Should().Be(DefaultRules.Unreachable);
        alarm.Severity.Should().Be(FaultLevel.Major);
        // Raised by the third failed poll: two intervals after the first failure.
        (alarm.ScheduledAt - failed.ScheduledAt).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(4));
        await using var q = _h.Store.QuerySession();
        (await q.LoadAsync<DeviceStatus>("ups-dead"))!.Reachable.Should().BeFalse();
    }

    [Fact]
    public async Task A_wrong_v3_password_fails_as_an_auth_failure()
    {
        await _h.ConfigureAsync(new ConfigurePolling("ups-badpw", "127.0.0.1", "ups-mib", _sim.Port, SnmpVersion.V3, Community: null,
            V3User: new V3UserInput("authPrivUser", AuthProtocol.Sha1, "wrongpass123", PrivProtocol.Aes128, "privpass123")));
        var recorder = new PollRecorder(_h.Store, _h.Client, new PollerOptions().Actor);
        await using var q = _h.Store.QuerySession();
        var target = PollTarget.From((await q.LoadAsync<PolledDevice>("ups-badpw"))!.Config, _h.Profiles, _h.Sealer);
        await recorder.PollAsync(target, DeviceState.Initial, DateTimeOffset.UtcNow, PollTriggers.Schedule, default);
        var failed = (await _h.EventsAsync<PollFailed>("ups-badpw")).Should().ContainSingle().Subject;
        failed.Reason.Should().Be(PollFailure.AuthFailure);
        failed.Detail.Should().NotContain("wrongpass123");
        (await _h.EventsAsync<UpsReadingRecorded>("ups-badpw")).Should().BeEmpty();
    }

    [Fact]
    public async Task A_counter64_beyond_a_signed_raw_value_is_left_out_and_named_and_the_rest_is_recorded()
    {
        await _h.ConfigureAsync(new ConfigurePolling("ups-c64", "127.0.0.1", "ups-mib", _sim.Port, RuleOverrides:
            [new RuleOverrideInput("device_unreachable", RaiseAfterPolls: 1)]));
        await _sim.ControlAsync("counter64_overflow", 1);
        var e = await PollOnceAsync<UpsReadingRecorded>("ups-c64", Poller.Slot(DateTimeOffset.UtcNow, TimeSpan.FromSeconds(60)));

        var r = e.Readings.ToDictionary(x => x.Name);
        r.Should().NotContainKey("input_line_bads");
        r["battery_charge"].Value.Should().Be(100);
        e.Skipped.Should().ContainSingle().Which.Should().Contain("input_line_bads").And.Contain("18446744073709551615");
        // The device answered: no failure, and no step towards device_unreachable (raised here at the first failure).
        (await _h.EventsAsync<PollFailed>("ups-c64")).Should().BeEmpty();
        (await _h.EventsAsync<AlarmRaised>("ups-c64")).Should().BeEmpty();
        await using var q = _h.Store.QuerySession();
        (await q.LoadAsync<DeviceStatus>("ups-c64"))!.Reachable.Should().BeTrue();
    }

    [Fact]
    public async Task A_community_that_cannot_see_the_profile_fails_as_no_such_object()
    {
        await _h.ConfigureAsync(new ConfigurePolling("crac-x", "127.0.0.1", "liebert-ac", _sim.Port, Community: "upsonly"));
        var recorder = new PollRecorder(_h.Store, _h.Client, new PollerOptions().Actor);
        await using var q = _h.Store.QuerySession();
        var target = PollTarget.From((await q.LoadAsync<PolledDevice>("crac-x"))!.Config, _h.Profiles, _h.Sealer);
        await recorder.PollAsync(target, DeviceState.Initial, DateTimeOffset.UtcNow, PollTriggers.Schedule, default);
        (await _h.EventsAsync<PollFailed>("crac-x")).Should().ContainSingle().Which.Reason.Should().Be(PollFailure.NoSuchObject);
    }
}
