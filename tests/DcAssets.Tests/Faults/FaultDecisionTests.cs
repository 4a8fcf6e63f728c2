using DcAssets.Faults;
using DcAssets.Testing;

namespace DcAssets.Tests.Faults;

/// <summary>The fault ticket's decisions as pure functions: the contract's clock, the states, the refusals.</summary>
public sealed class FaultDecisionTests
{
    private static readonly ContractProfile Contract =
        ContractProfile.Load(ContractProfile.DefaultPath(TestDatabase.RepoRoot()));
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 2, 0, 0, TimeSpan.FromHours(8));

    private static ReportFaultCommand Ups(DateTimeOffset? at = null, string level = "major") =>
        new(level, "UPS-01 on battery", ["UPS-01"], "alarm-1", FaultSource.Alarm, at);

    private static FaultTicket Open(DateTimeOffset? at = null) =>
        FaultFold.Next(null, FaultDecisions.Report(Contract, "F-1", Ups(at ?? T0), T0.AddMinutes(5), _ => true))!;

    [Fact]
    public void A_major_fault_is_due_to_be_restored_within_an_hour_of_its_first_abnormal_reading()
    {
        var e = FaultDecisions.Report(Contract, "F-1", Ups(T0), T0.AddMinutes(7), _ => true);
        e.OccurredAt.Should().Be(T0);
        e.Deadlines.Should().Be(new FaultDeadlines(T0.AddMinutes(30), T0.AddMinutes(30), T0.AddHours(1)));
    }

    [Fact]
    public void A_level_not_in_the_contract_an_unknown_asset_and_a_moment_in_the_future_are_named_at_once()
    {
        var act = () => FaultDecisions.Report(Contract, "F-1", Ups(T0.AddHours(1), "catastrophic"), T0,
            tag => tag != "UPS-01");
        act.Should().Throw<CommandRejected>().Which.Errors.Keys.Should()
            .BeEquivalentTo("level", "assets", "occurredAt");
    }

    [Fact]
    public void Acknowledging_records_the_response_time_from_the_faults_start()
    {
        FaultDecisions.Acknowledge(Open(), T0.AddMinutes(12)).ResponseMinutes.Should().Be(12);
    }

    [Fact]
    public void A_reclassified_fault_keeps_its_start_and_takes_the_new_levels_restore_limit()
    {
        var c = FaultDecisions.Classify(Contract, Open(), "urgent", "only part of the room lost power");
        c.Deadlines.RestoreBy.Should().Be(T0.AddHours(5));
        c.From.Should().Be("major");
    }

    [Fact]
    public void Resolving_needs_the_cause_and_the_action()
    {
        var act = () => FaultDecisions.Resolve(Open(), " ", null, T0.AddMinutes(40));
        act.Should().Throw<CommandRejected>().Which.Errors.Keys.Should().BeEquivalentTo("cause", "action");
    }

    [Fact]
    public void A_closed_fault_cannot_be_resolved_again()
    {
        var t = Open();
        t = FaultFold.Next(t, FaultDecisions.Resolve(t, "mains lost", "restored mains", T0.AddMinutes(50)))!;
        t = FaultFold.Next(t, FaultDecisions.Close(t, null))!;
        var act = () => FaultDecisions.Resolve(t, "again", "again", T0.AddHours(2));
        act.Should().Throw<CommandRejected>().Which.Kind.Should().Be(RejectionKind.Conflict);
    }

    [Fact]
    public void Only_a_resolved_fault_is_closed()
    {
        var act = () => FaultDecisions.Close(Open(), "done?");
        act.Should().Throw<CommandRejected>().Which.Errors.Should().ContainKey("state");
    }

    [Fact]
    public void Only_a_major_alarm_opens_a_fault_and_it_is_major_from_the_alarms_moment()
    {
        DcAssets.Telemetry.Alarms.AlarmRaised Alarm(DcAssets.Telemetry.Alarms.FaultLevel level) =>
            new("a1", "UPS-01", "on_battery", level, "on battery", T0);
        AlarmsOpenFaults.Decide(Alarm(DcAssets.Telemetry.Alarms.FaultLevel.Urgent)).Should().BeNull();
        AlarmsOpenFaults.Decide(Alarm(DcAssets.Telemetry.Alarms.FaultLevel.Major)).Should().BeEquivalentTo(
            new ReportFaultCommand("major", "on battery", ["UPS-01"], "a1", FaultSource.Alarm, T0));
    }
}
