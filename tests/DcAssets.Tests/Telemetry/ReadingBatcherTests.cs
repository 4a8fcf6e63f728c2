using System.Net;
using DcAssets.Snmp;
using DcAssets.Telemetry.Polling;
using DcAssets.Telemetry.Readings;
using DcAssets.Tests.Telemetry.Infrastructure;

namespace DcAssets.Tests.Telemetry;

/// <summary>Batched saves on real PostgreSQL: one reading per device and slot, also when a batch meets a poll recorded elsewhere.</summary>
public sealed class ReadingBatcherTests : IAsyncLifetime
{
    private readonly TelemetryHarness _h = new();
    private static readonly DateTimeOffset Slot = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);

    public Task InitializeAsync() => _h.InitializeAsync();
    public Task DisposeAsync() => _h.DisposeAsync();

    private PollTarget Target(string id)
    {
        var profile = _h.Profiles.Get("ups-mib");
        return new PollTarget(id, new SnmpTarget(new IPEndPoint(IPAddress.Loopback, 161)), profile, TimeSpan.FromSeconds(60), profile.Rules);
    }

    private static PollOutcome Outcome(long charge) => new(Slot.AddSeconds(1), 3.5, [new Reading("battery_charge", charge, 1, "%"), new Reading("output_source", 3, 1, "enum")], []);

    [Fact]
    public async Task A_batch_meeting_an_already_recorded_poll_falls_back_to_keyed_saves_without_duplicates()
    {
        var actor = new PollerOptions { NodeId = "node-b" }.Actor;
        var single = new PollRecorder(_h.Store, _h.Client, actor);
        // node-a recorded ups-2's poll of this slot before node-b took the device over.
        await new PollRecorder(_h.Store, _h.Client, new PollerOptions { NodeId = "node-a" }.Actor)
            .RecordAsync(Target("ups-2"), DeviceState.Initial, Outcome(90), Slot, PollTriggers.Schedule, default);

        await using (var batcher = new ReadingBatcher(_h.Store, single, actor))
            await Task.WhenAll(Enumerable.Range(1, 5).Select(i => batcher.RecordAsync(Target($"ups-{i}"), DeviceState.Initial, Outcome(80 + i), Slot)));

        var readings = await _h.EventsAsync<UpsReadingRecorded>();
        readings.Select(r => r.AssetId).Should().BeEquivalentTo(["ups-1", "ups-2", "ups-3", "ups-4", "ups-5"]);
        readings.Single(r => r.AssetId == "ups-2").Readings.Single(r => r.Name == "battery_charge").Raw.Should().Be(90, "the first recording stands");
    }

    [Fact]
    public async Task A_failed_poll_decided_on_two_nodes_appends_its_poll_failed_and_unreachable_alarm_once()
    {
        // Both nodes decide this slot (a hand-over), both see the device time out a third time: each would
        // raise the unreachable alarm (no reading, so nothing else in the save names the slot).
        var failing = new DeviceState { ConsecutiveFailures = 2, LastFailure = PollFailure.Timeout };
        var timeout = new PollOutcome(Slot.AddSeconds(2), 2000, null, null, PollFailure.Timeout, "no answer");
        var a = new PollerOptions { NodeId = "node-a" }.Actor;
        var b = new PollerOptions { NodeId = "node-b" }.Actor;
        await using (var batcherA = new ReadingBatcher(_h.Store, new PollRecorder(_h.Store, _h.Client, a), a))
            await batcherA.RecordAsync(Target("ups-9"), failing, timeout, Slot);
        await using (var batcherB = new ReadingBatcher(_h.Store, new PollRecorder(_h.Store, _h.Client, b), b))
            await Task.WhenAll(batcherB.RecordAsync(Target("ups-9"), failing, timeout, Slot), batcherB.RecordAsync(Target("ups-8"), DeviceState.Initial, timeout, Slot));

        (await _h.EventsAsync<DcAssets.Telemetry.Alarms.AlarmRaised>("ups-9")).Should().ContainSingle().Which.Rule.Should().Be("device_unreachable");
        (await _h.EventsAsync<PollFailed>("ups-8")).Should().ContainSingle("the other device of node-b's batch is still recorded");

        // A first failure, likewise: one poll_failed however many nodes decide the slot.
        var next = Slot.AddMinutes(1);
        await new PollRecorder(_h.Store, _h.Client, a).RecordAsync(Target("ups-7"), DeviceState.Initial, timeout, next, PollTriggers.Schedule, default);
        await using (var batcherB = new ReadingBatcher(_h.Store, new PollRecorder(_h.Store, _h.Client, b), b))
            await batcherB.RecordAsync(Target("ups-7"), DeviceState.Initial, timeout, next);
        (await _h.EventsAsync<PollFailed>("ups-7")).Should().ContainSingle();
    }

    [Fact]
    public async Task Polls_finishing_together_are_saved_together()
    {
        var actor = new PollerOptions { NodeId = "node-a" }.Actor;
        await using (var batcher = new ReadingBatcher(_h.Store, new PollRecorder(_h.Store, _h.Client, actor), actor))
            await Task.WhenAll(Enumerable.Range(1, 300).Select(i => batcher.RecordAsync(Target($"ups-{i}"), DeviceState.Initial, Outcome(50), Slot)));
        (await _h.EventsAsync<UpsReadingRecorded>()).Should().HaveCount(300);
        // A save is one transaction: its rows share the inserting transaction's id.
        (await _h.ScalarAsync<long>(
                "select count(distinct xmin::text) from dcassets.mt_events where type = 'ups_reading_recorded'"))
            .Should().BeLessThan(300, "many polls share one save");
    }
}
