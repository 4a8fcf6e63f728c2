using System.Net;
using DcAssets.Snmp;
using DcAssets.Telemetry.Alarms;
using DcAssets.Telemetry.Polling;
using DcAssets.Telemetry.Profiles;
using DcAssets.Telemetry.Readings;

namespace DcAssets.Tests.Telemetry;

public sealed class PollDecisionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);
    private static readonly DeviceProfile Ups = new ProfileCatalog().Get("ups-mib");
    private static readonly PollTarget Target = new("ups-1", new SnmpTarget(new IPEndPoint(IPAddress.Loopback, 161)), Ups, TimeSpan.FromSeconds(60), Ups.Rules);

    private static PollOutcome Failed(PollFailure f) => new(T0, 1000, null, null, f, f.ToString());
    private static PollOutcome Ok(long outputSource) => new(T0, 4.2, [new Reading("output_source", outputSource, 1, "enum"), new Reading("battery_charge", 100, 1, "%")], []);

    [Fact]
    public void Poll_failed_is_appended_once_per_change_of_failure_and_unreachable_after_three()
    {
        var state = DeviceState.Initial;
        var all = new List<object>();
        PollFailure[] sequence = [PollFailure.Timeout, PollFailure.Timeout, PollFailure.Timeout, PollFailure.Timeout, PollFailure.AuthFailure, PollFailure.AuthFailure];
        for (var i = 0; i < sequence.Length; i++)
        {
            var (s, e) = PollDecision.Decide(Target, state, Failed(sequence[i]), T0.AddMinutes(i), PollTriggers.Schedule);
            e.Reading.Should().BeNull();
            all.AddRange(e.DeviceEvents);
            state = s;
        }
        all.OfType<PollFailed>().Select(f => f.Reason).Should().Equal(PollFailure.Timeout, PollFailure.AuthFailure);
        var raised = all.OfType<AlarmRaised>().Should().ContainSingle().Which;
        raised.Rule.Should().Be(DefaultRules.Unreachable);
        raised.Severity.Should().Be(FaultLevel.Major);
        raised.RaisedAt.Should().Be(T0);

        var (once, first) = PollDecision.Decide(Target, state, Ok(3), T0.AddMinutes(7), PollTriggers.Schedule);
        first.Reading.Should().BeOfType<UpsReadingRecorded>().Which.ScheduledAt.Should().Be(T0.AddMinutes(7));
        first.DeviceEvents.Should().BeEmpty("one answer is not yet recovery");
        var (after, recovered) = PollDecision.Decide(Target, once, Ok(3), T0.AddMinutes(8), PollTriggers.Schedule);
        recovered.DeviceEvents.Should().ContainSingle().Which.Should().BeOfType<AlarmCleared>().Which.AlarmId.Should().Be(raised.AlarmId);
        after.ConsecutiveFailures.Should().Be(0);
        after.LastFailure.Should().BeNull();
    }

    [Fact]
    public void A_reading_on_battery_raises_and_two_on_mains_clear_with_the_same_alarm_id()
    {
        var (s1, e1) = PollDecision.Decide(Target, DeviceState.Initial, Ok(5), T0, PollTriggers.Schedule);
        var raised = e1.DeviceEvents.OfType<AlarmRaised>().Should().ContainSingle().Which;
        raised.Rule.Should().Be("on_battery");
        var (s2, e2) = PollDecision.Decide(Target, s1, Ok(3), T0.AddMinutes(1), PollTriggers.Schedule);
        e2.DeviceEvents.Should().BeEmpty();
        var (_, e3) = PollDecision.Decide(Target, s2, Ok(3), T0.AddMinutes(2), PollTriggers.Schedule);
        e3.DeviceEvents.OfType<AlarmCleared>().Should().ContainSingle().Which.AlarmId.Should().Be(raised.AlarmId);
    }

    [Fact]
    public void Every_event_of_a_decided_poll_names_its_slot_so_a_repeat_is_refused()
    {
        var (s1, e1) = PollDecision.Decide(Target, DeviceState.Initial, Ok(5), T0, PollTriggers.Trap);
        var (_, e2) = PollDecision.Decide(Target, s1, Failed(PollFailure.Timeout), T0.AddMinutes(1), PollTriggers.Schedule);
        PollSlot Slot(DateTimeOffset at, string trigger) =>
            new(PollRecorder.IdempotencyKey("ups-1", at, trigger), "ups-1", at, trigger);
        PollSlotGuard.SlotOf(e1.Reading!).Should().Be(Slot(T0, PollTriggers.Trap));
        PollSlotGuard.SlotOf(e1.DeviceEvents.OfType<AlarmRaised>().Single()).Should().Be(Slot(T0, PollTriggers.Trap));
        PollSlotGuard.SlotOf(e2.DeviceEvents.OfType<PollFailed>().Single())
            .Should().Be(Slot(T0.AddMinutes(1), PollTriggers.Schedule));
    }

    [Fact]
    public void The_input_voltage_rule_uses_the_agents_nominal_else_the_configured_one()
    {
        static PollOutcome Volts(double? nominal) => new(T0, 4, [new Reading("input_voltage.1", 245, 1, "V"), .. nominal is { } n ? [new Reading("nominal_input_voltage", (long)n, 1, "V")] : Array.Empty<Reading>()], []);
        IReadOnlyList<object> Alarms(PollTarget t, double? nominal)
        {
            // The rule needs a minute of persistence: two polls a minute apart.
            var (s, _) = PollDecision.Decide(t, DeviceState.Initial, Volts(nominal), T0, PollTriggers.Schedule);
            return PollDecision.Decide(t, s, Volts(nominal) with { PolledAt = T0.AddMinutes(1) }, T0.AddMinutes(1), PollTriggers.Schedule).Events.DeviceEvents;
        }
        Alarms(Target, null).OfType<AlarmRaised>().Should().ContainSingle("245 V is more than 10 % above the default 220 V").Which.Rule.Should().Be("input_voltage_out_of_range");
        Alarms(Target with { NominalInputVoltage = 230 }, null).Should().BeEmpty("245 V is within 10 % of a configured 230 V");
        Alarms(Target, 230).Should().BeEmpty("the agent's upsConfigInputVoltage wins");
    }

    [Fact]
    public void An_asset_can_have_the_unreachable_alarm_raised_at_the_first_failed_poll()
    {
        var config = new PollingConfigured("ups-1", "127.0.0.1", 161, DcAssets.Snmp.SnmpVersion.V2c, "ups-mib", 60, "public",
            RuleOverrides: [new RuleOverride(DefaultRules.Unreachable) { RaiseAfterPolls = 1, Severity = FaultLevel.Urgent }]);
        var target = PollTarget.From(config, new ProfileCatalog(), null);
        var (_, e) = PollDecision.Decide(target, DeviceState.Initial, Failed(PollFailure.Timeout), T0, PollTriggers.Schedule);
        e.DeviceEvents.Select(x => x.GetType().Name).Should().Equal(nameof(PollFailed), nameof(AlarmRaised));
        e.DeviceEvents.OfType<AlarmRaised>().Single().Severity.Should().Be(FaultLevel.Urgent);

        var off = PollTarget.From(config with { RuleOverrides = [new RuleOverride(DefaultRules.Unreachable) { Enabled = false }] }, new ProfileCatalog(), null);
        off.Unreachable.Should().BeNull();
        off.Rules.Should().NotContain(r => r.Id == DefaultRules.Unreachable);
    }

    [Fact]
    public void Alarms_of_rules_no_longer_applied_are_cleared_whatever_the_poll_gave()
    {
        var config = new PollingConfigured("ups-1", "127.0.0.1", 161, DcAssets.Snmp.SnmpVersion.V2c, "ups-mib", 60, "public",
            RuleOverrides: [new RuleOverride(DefaultRules.Unreachable) { RaiseAfterPolls = 1 }]);
        var (unreachable, e1) = PollDecision.Decide(PollTarget.From(config, new ProfileCatalog(), null), DeviceState.Initial, Failed(PollFailure.Timeout), T0, PollTriggers.Schedule);
        var (both, e2) = PollDecision.Decide(Target, unreachable, Ok(5), T0.AddMinutes(1), PollTriggers.Schedule);
        var raised = e1.DeviceEvents.OfType<AlarmRaised>().Concat(e2.DeviceEvents.OfType<AlarmRaised>()).ToDictionary(a => a.Rule, a => a.AlarmId);
        raised.Keys.Should().BeEquivalentTo([DefaultRules.Unreachable, "on_battery"]);

        // Both rules switched off for this asset; the unit still on battery, and then not answering.
        var off = PollTarget.From(config with { RuleOverrides = [new RuleOverride("on_battery") { Enabled = false }, new RuleOverride(DefaultRules.Unreachable) { Enabled = false }] },
            new ProfileCatalog(), null);
        var (after, e3) = PollDecision.Decide(off, both with { ConsecutiveFailures = 0 }, Failed(PollFailure.Timeout), T0.AddMinutes(2), PollTriggers.Schedule);
        var cleared = e3.DeviceEvents.OfType<AlarmCleared>().ToList();
        cleared.ToDictionary(c => c.Rule, c => c.AlarmId).Should().BeEquivalentTo(raised);
        cleared.Should().AllSatisfy(c => c.ScheduledAt.Should().Be(T0.AddMinutes(2)));
        after.Rules.Should().BeEmpty();
        PollDecision.Decide(off, after, Ok(5), T0.AddMinutes(3), PollTriggers.Schedule).Events.DeviceEvents.Should().BeEmpty();
    }

    [Fact]
    public void Idempotency_keys_name_device_and_scheduled_time()
    {
        PollRecorder.IdempotencyKey("ups-1", T0).Should().Be("schedule:ups-1:20261122T030000.000");
        Poller.Slot(T0.AddSeconds(59.9), TimeSpan.FromSeconds(60)).Should().Be(T0);
    }

    [Fact]
    public void Poll_groups_are_the_same_in_every_process_and_spread_the_devices_evenly()
    {
        var devices = Enumerable.Range(0, 1600).Select(i => $"ups-{i}").ToList();
        var groups = devices.GroupBy(PollGroups.Of).ToList();
        groups.Should().HaveCount(PollGroups.Count);
        groups.Should().AllSatisfy(g => g.Count().Should().BeInRange(60, 140));
        PollGroups.Of("UPS-01").Should().Be(PollGroups.Of(new string("UPS-01".ToCharArray())));
    }
}
