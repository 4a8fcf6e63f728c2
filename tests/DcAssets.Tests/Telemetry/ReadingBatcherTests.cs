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
            .RecordAsync(Target("ups-2"), DeviceState.Initial, Outcome(90), Slot, PollTriggers.Schedule, true, default);

        await using (var batcher = new ReadingBatcher(_h.Store, single, actor))
            await Task.WhenAll(Enumerable.Range(1, 5).Select(i => batcher.RecordAsync(Target($"ups-{i}"), DeviceState.Initial, Outcome(80 + i), Slot)));

        var readings = await _h.EventsAsync<UpsReadingRecorded>();
        readings.Select(r => r.AssetId).Should().BeEquivalentTo(["ups-1", "ups-2", "ups-3", "ups-4", "ups-5"]);
        readings.Single(r => r.AssetId == "ups-2").Readings.Single(r => r.Name == "battery_charge").Raw.Should().Be(90, "the first recording stands");
    }

    [Fact]
    public async Task Polls_finishing_together_are_saved_together()
    {
        var actor = new PollerOptions { NodeId = "node-a" }.Actor;
        await using (var batcher = new ReadingBatcher(_h.Store, new PollRecorder(_h.Store, _h.Client, actor), actor))
            await Task.WhenAll(Enumerable.Range(1, 300).Select(i => batcher.RecordAsync(Target($"ups-{i}"), DeviceState.Initial, Outcome(50), Slot)));
        var all = (await _h.AllEventsAsync()).Where(e => e.Data is UpsReadingRecorded).ToList();
        all.Should().HaveCount(300);
        all.Select(e => e.Metadata.CorrelationId).Distinct().Count().Should().BeLessThan(300, "many polls share one save");
    }
}
