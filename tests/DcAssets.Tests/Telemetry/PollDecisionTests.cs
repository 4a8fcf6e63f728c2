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

        var (after, recovered) = PollDecision.Decide(Target, state, Ok(3), T0.AddMinutes(7), PollTriggers.Schedule);
        recovered.Reading.Should().BeOfType<UpsReadingRecorded>().Which.ScheduledAt.Should().Be(T0.AddMinutes(7));
        recovered.DeviceEvents.Should().ContainSingle().Which.Should().BeOfType<AlarmCleared>().Which.AlarmId.Should().Be(raised.AlarmId);
        after.ConsecutiveFailures.Should().Be(0);
        after.LastFailure.Should().BeNull();
    }

    [Fact]
    public void A_reading_on_battery_raises_and_the_next_on_mains_clears_with_the_same_alarm_id()
    {
        var (s1, e1) = PollDecision.Decide(Target, DeviceState.Initial, Ok(5), T0, PollTriggers.Schedule);
        var raised = e1.DeviceEvents.OfType<AlarmRaised>().Should().ContainSingle().Which;
        raised.Rule.Should().Be("on_battery");
        var (_, e2) = PollDecision.Decide(Target, s1, Ok(3), T0.AddMinutes(1), PollTriggers.Schedule);
        e2.DeviceEvents.OfType<AlarmCleared>().Should().ContainSingle().Which.AlarmId.Should().Be(raised.AlarmId);
    }

    [Fact]
    public void A_poll_that_may_not_decide_alarms_only_records_the_reading()
    {
        var (_, e) = PollDecision.Decide(Target, DeviceState.Initial, Ok(5), T0, PollTriggers.Trap, decideAlarms: false);
        e.Reading.Should().BeOfType<UpsReadingRecorded>().Which.Trigger.Should().Be("trap");
        e.DeviceEvents.Should().BeEmpty();
    }

    [Fact]
    public void Idempotency_keys_name_device_and_scheduled_time()
    {
        PollRecorder.IdempotencyKey("ups-1", T0).Should().Be("schedule:ups-1:20261122T030000.000");
        Poller.Slot(T0.AddSeconds(59.9), TimeSpan.FromSeconds(60)).Should().Be(T0);
    }

    [Fact]
    public void Rendezvous_spreads_devices_and_moves_only_the_stopped_nodes_share()
    {
        var devices = Enumerable.Range(0, 400).Select(i => $"ups-{i}").ToList();
        string[] three = ["a", "b", "c"], two = ["a", "b"];
        var before = devices.ToDictionary(d => d, d => DeviceLeases.Preferred(d, three));
        before.Values.GroupBy(n => n).Should().AllSatisfy(g => g.Count().Should().BeInRange(90, 180));
        var after = devices.ToDictionary(d => d, d => DeviceLeases.Preferred(d, two));
        devices.Where(d => before[d] != "c").Should().AllSatisfy(d => after[d].Should().Be(before[d]));
    }
}
