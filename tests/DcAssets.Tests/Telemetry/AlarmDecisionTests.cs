using DcAssets.Telemetry.Alarms;

namespace DcAssets.Tests.Telemetry;

public sealed class AlarmDecisionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);
    private static readonly AlarmRule Overload = new("output_overload", FaultLevel.Urgent, [new("output_load.*", Comparison.Above, 80, Hysteresis: 5)])
    {
        RaiseAfter = TimeSpan.FromSeconds(60), ClearAfter = TimeSpan.FromSeconds(60),
    };

    private static Dictionary<string, double> R(string name, double v) => new() { [name] = v };

    [Fact]
    public void A_state_rule_raises_on_the_first_breach_and_clears_after_two_normal_polls()
    {
        var rule = DefaultRules.OnBattery("output_source", 5);
        var (s1, c1) = AlarmDecisions.Evaluate(rule, RuleState.Idle, R("output_source", 5), T0);
        c1!.Kind.Should().Be(AlarmChangeKind.Raise);
        c1.Severity.Should().Be(FaultLevel.Major);
        s1.Active.Should().BeTrue();
        var (s2, c2) = AlarmDecisions.Evaluate(rule, s1, R("output_source", 5), T0.AddSeconds(60));
        c2.Should().BeNull();
        var (s3, c3) = AlarmDecisions.Evaluate(rule, s2, R("output_source", 3), T0.AddSeconds(120));
        c3.Should().BeNull("one normal poll is not yet recovery");
        s3.Active.Should().BeTrue();
        var (s4, c4) = AlarmDecisions.Evaluate(rule, s3, R("output_source", 3), T0.AddSeconds(180));
        c4!.Kind.Should().Be(AlarmChangeKind.Clear);
        s4.Should().Be(RuleState.Idle);
    }

    [Fact]
    public void A_unit_toggling_on_and_off_battery_raises_once_and_clears_once()
    {
        var rule = DefaultRules.OnBattery("output_source", 5);
        var state = RuleState.Idle;
        var changes = new List<AlarmChange>();
        long[] sources = [3, 5, 3, 5, 3, 5, 5, 3, 5, 3, 3, 3, 3];
        for (var i = 0; i < sources.Length; i++)
        {
            var (s, c) = AlarmDecisions.Evaluate(rule, state, R("output_source", sources[i]), T0.AddSeconds(10 * i));
            state = s;
            if (c is not null) changes.Add(c);
        }
        changes.Select(c => c.Kind).Should().Equal(AlarmChangeKind.Raise, AlarmChangeKind.Clear);
        state.Should().Be(RuleState.Idle);
    }

    [Fact]
    public void A_poll_without_the_rules_reading_leaves_the_rule_where_it_was()
    {
        var rule = DefaultRules.OnBattery("output_source", 5);
        var (active, _) = AlarmDecisions.Evaluate(rule, RuleState.Idle, R("output_source", 5), T0);
        var (kept, change) = AlarmDecisions.Evaluate(rule, active, R("battery_charge", 90), T0.AddSeconds(10));
        change.Should().BeNull();
        kept.Should().Be(active);

        // Pending raises keep their clock too: a gap in the readings does not restart the minute.
        var (pending, _) = AlarmDecisions.Evaluate(Overload, RuleState.Idle, R("output_load.1", 85), T0);
        AlarmDecisions.Evaluate(Overload, pending, R("battery_charge", 90), T0.AddSeconds(30)).State.Should().Be(pending);
    }

    [Fact]
    public void A_rule_can_ask_for_several_polls_in_a_row_before_it_raises()
    {
        var rule = DefaultRules.OnBattery("output_source", 5) with { RaiseAfterPolls = 3 };
        var (s1, c1) = AlarmDecisions.Evaluate(rule, RuleState.Idle, R("output_source", 5), T0);
        var (s2, c2) = AlarmDecisions.Evaluate(rule, s1, R("output_source", 5), T0.AddSeconds(10));
        var (_, c3) = AlarmDecisions.Evaluate(rule, s2, R("output_source", 5), T0.AddSeconds(20));
        c1.Should().BeNull();
        c2.Should().BeNull();
        c3!.Kind.Should().Be(AlarmChangeKind.Raise);
    }

    [Fact]
    public void A_threshold_must_hold_for_the_minimum_duration_before_it_raises()
    {
        var (s1, c1) = AlarmDecisions.Evaluate(Overload, RuleState.Idle, R("output_load.2", 85), T0);
        c1.Should().BeNull();
        s1.Since.Should().Be(T0);
        // A dip below the threshold restarts the clock.
        var (s2, _) = AlarmDecisions.Evaluate(Overload, s1, R("output_load.2", 79), T0.AddSeconds(30));
        s2.Should().Be(RuleState.Idle);
        var (s3, _) = AlarmDecisions.Evaluate(Overload, s2, R("output_load.2", 85), T0.AddSeconds(60));
        var (_, c4) = AlarmDecisions.Evaluate(Overload, s3, R("output_load.2", 86), T0.AddSeconds(90));
        c4.Should().BeNull();
        var (s5, c5) = AlarmDecisions.Evaluate(Overload, s3, R("output_load.2", 86), T0.AddSeconds(120));
        c5!.Reading.Should().Be("output_load.2");
        c5.Value.Should().Be(86);
        s5.Active.Should().BeTrue();
    }

    [Fact]
    public void A_value_hovering_at_the_threshold_raises_once_and_does_not_flap()
    {
        var state = RuleState.Idle;
        var changes = new List<AlarmChange>();
        double[] loads = [85, 85, 85, 79, 81, 78, 82, 77, 81, 79, 80, 81];
        for (var i = 0; i < loads.Length; i++)
        {
            var (s, c) = AlarmDecisions.Evaluate(Overload, state, R("output_load.1", loads[i]), T0.AddMinutes(i));
            state = s;
            if (c is not null) changes.Add(c);
        }
        changes.Should().ContainSingle().Which.Kind.Should().Be(AlarmChangeKind.Raise);
        state.Active.Should().BeTrue();
    }

    [Fact]
    public void Clearing_needs_the_value_past_the_hysteresis_band_for_the_minimum_duration()
    {
        var active = new RuleState { AlarmId = "a1" };
        var (s1, c1) = AlarmDecisions.Evaluate(Overload, active, R("output_load.1", 74), T0);
        c1.Should().BeNull();
        var (s2, c2) = AlarmDecisions.Evaluate(Overload, s1, R("output_load.1", 74), T0.AddSeconds(60));
        c2!.Kind.Should().Be(AlarmChangeKind.Clear);
        s2.Active.Should().BeFalse();
    }

    [Fact]
    public void Battery_low_raises_on_either_charge_or_runtime()
    {
        var rule = DefaultRules.Ups(DefaultRules.OnBattery("output_source", 5)).Single(r => r.Id == "battery_low");
        AlarmDecisions.Evaluate(rule, RuleState.Idle, new Dictionary<string, double> { ["battery_charge"] = 80, ["battery_minutes_remaining"] = 9 }, T0)
            .Change!.Reading.Should().Be("battery_minutes_remaining");
        AlarmDecisions.Evaluate(rule, RuleState.Idle, new Dictionary<string, double> { ["battery_charge"] = 29, ["battery_minutes_remaining"] = 40 }, T0)
            .Change!.Reading.Should().Be("battery_charge");
        AlarmDecisions.Evaluate(rule, RuleState.Idle, new Dictionary<string, double> { ["battery_charge"] = 30, ["battery_minutes_remaining"] = 10 }, T0)
            .Change.Should().BeNull();
    }

    [Theory]
    [InlineData(220, 197, true)]
    [InlineData(220, 243, true)]
    [InlineData(220, 230, false)]
    [InlineData(220, 199, false)]
    [InlineData(230, 243, false)]
    [InlineData(230, 254, true)]
    public void Input_voltage_outside_ten_percent_of_the_nominal_breaches(double nominal, double volts, bool breached)
    {
        var rule = DefaultRules.Ups(DefaultRules.OnBattery("output_source", 5)).Single(r => r.Id == "input_voltage_out_of_range");
        var condition = rule.Conditions.Single().Resolve(new Dictionary<string, double> { [DefaultRules.NominalInputVoltage] = nominal })!;
        condition.Breached(volts).Should().Be(breached);
    }

    [Fact]
    public void Without_a_nominal_the_input_voltage_rule_cannot_judge_and_stays_put()
    {
        var rule = DefaultRules.Ups(DefaultRules.OnBattery("output_source", 5)).Single(r => r.Id == "input_voltage_out_of_range");
        AlarmDecisions.Evaluate(rule, RuleState.Idle, R("input_voltage.1", 100), T0).Should().Be((RuleState.Idle, (AlarmChange?)null));
    }

    [Fact]
    public void Ac_defaults_cover_return_and_supply_air_humidity_and_unit_off()
    {
        var rules = DefaultRules.Ac().ToDictionary(r => r.Id);
        rules["return_air_high"].Conditions.Single().Breached(27.1).Should().BeTrue();
        rules["supply_air_low"].Conditions.Single().Breached(14.9).Should().BeTrue();
        rules["humidity_out_of_range"].Conditions.Single().Breached(71).Should().BeTrue();
        rules["humidity_out_of_range"].Conditions.Single().Breached(29).Should().BeTrue();
        rules["humidity_out_of_range"].Conditions.Single().Breached(50).Should().BeFalse();
        rules["unit_off"].Conditions.Single().Breached(2).Should().BeTrue();
    }

    [Fact]
    public void Unreachable_is_raised_at_the_third_failed_poll_and_cleared_by_two_answers_in_a_row()
    {
        var rule = DefaultRules.UnreachableRule(DcAssets.Telemetry.Profiles.DeviceKind.Ups);
        var s = RuleState.Idle;
        for (var failures = 1; failures <= 2; failures++)
            AlarmDecisions.Unreachable(rule, s, false, failures).Change.Should().BeNull();
        var (raised, c) = AlarmDecisions.Unreachable(rule, s, false, 3);
        c!.Kind.Should().Be(AlarmChangeKind.Raise);
        c.Severity.Should().Be(FaultLevel.Major);
        AlarmDecisions.Unreachable(rule, raised, false, 4).Change.Should().BeNull();
        var (once, c1) = AlarmDecisions.Unreachable(rule, raised, true, 0);
        c1.Should().BeNull("one answer amid timeouts is not recovery");
        var (again, _) = AlarmDecisions.Unreachable(rule, once, false, 1);
        again.Polls.Should().Be(0, "a failure restarts the count of answers");
        var (cleared, c2) = AlarmDecisions.Unreachable(rule, AlarmDecisions.Unreachable(rule, again, true, 0).State, true, 0);
        c2!.Kind.Should().Be(AlarmChangeKind.Clear);
        cleared.Should().Be(RuleState.Idle);
        DefaultRules.UnreachableRule(DcAssets.Telemetry.Profiles.DeviceKind.Ac).Severity.Should().Be(FaultLevel.General);
    }

    [Fact]
    public void Acknowledging_records_the_actor_once()
    {
        var alarm = new ActiveAlarm("a1", "ups-1", "on_battery", FaultLevel.Major, "on battery", DateTimeOffset.UtcNow, "output_source", 5);
        var e = AcknowledgeAlarmHandler.Decide(alarm, new AcknowledgeAlarm("ups-1", "on_battery"), new Actor("user-7", "Li Wei"), T0)!;
        e.ActorName.Should().Be("Li Wei");
        e.AlarmId.Should().Be("a1");
        AcknowledgeAlarmHandler.Decide(alarm with { AcknowledgedAt = T0 }, new AcknowledgeAlarm("ups-1", "on_battery"), new Actor("u", "u"), T0).Should().BeNull();
        FluentActions.Invoking(() => AcknowledgeAlarmHandler.Decide(null, new AcknowledgeAlarm("ups-1", "on_battery"), new Actor("u", "u"), T0))
            .Should().Throw<AlarmNotActiveException>();
    }
}
