using DcAssets.EventStore;
using DcAssets.Telemetry.Polling;
using DcAssets.Telemetry.Readings;
using DcAssets.Tests.Telemetry.Infrastructure;

namespace DcAssets.Tests.Telemetry;

/// <summary>Two poller nodes share one database: each device polled once per interval, taken over without a gap when a node stops.</summary>
public sealed class PollerNodeTests : IAsyncLifetime
{
    private readonly SimulatedDevice _sim = new();
    private readonly TelemetryHarness _h = new();
    private static readonly string[] Devices = Enumerable.Range(1, 8).Select(i => $"ups-n{i}").ToArray();

    public async Task InitializeAsync() => await Task.WhenAll(_sim.InitializeAsync(), _h.InitializeAsync());

    public async Task DisposeAsync()
    {
        await _h.DisposeAsync();
        await _sim.DisposeAsync();
    }

    private async Task<List<(string Asset, DateTimeOffset Slot, string Node)>> ReadingsAsync() =>
        (await _h.AllEventsAsync()).Where(e => e.Data is UpsReadingRecorded)
            .Select(e => (((UpsReadingRecorded)e.Data).AssetId, ((UpsReadingRecorded)e.Data).ScheduledAt, e.Metadata.ActorId!)).ToList();

    [Fact]
    public async Task Each_device_is_polled_once_per_interval_and_a_stopped_nodes_devices_move_within_two_intervals()
    {
        foreach (var d in Devices) await _h.ConfigureAsync(new ConfigurePolling(d, "127.0.0.1", "ups-mib", _sim.Port, IntervalSeconds: 1));
        var a = await _h.StartPollerAsync("node-a");
        var b = await _h.StartPollerAsync("node-b");
        var settled = DateTimeOffset.UtcNow.AddSeconds(2);
        await Task.Delay(TimeSpan.FromSeconds(5));

        a.Held.Should().NotBeEmpty();
        b.Held.Should().NotBeEmpty();
        a.Held.Should().NotIntersectWith(b.Held);
        (a.Held.Count + b.Held.Count).Should().Be(Devices.Length);

        var stoppedAt = DateTimeOffset.UtcNow;
        await a.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(4));
        b.Held.Should().HaveCount(Devices.Length);

        var readings = await ReadingsAsync();
        readings.Select(r => r.Node).Distinct().Should().BeEquivalentTo(["poller:node-a", "poller:node-b"]);
        foreach (var d in Devices)
        {
            var slots = readings.Where(r => r.Asset == d && r.Slot >= settled).Select(r => r.Slot).Order().ToList();
            slots.Should().OnlyHaveUniqueItems($"{d} is polled once per interval");
            slots.Count.Should().BeGreaterThanOrEqualTo(6, d);
            slots.Zip(slots.Skip(1), (x, y) => y - x).Should().AllSatisfy(gap => gap.Should().BeLessThanOrEqualTo(TimeSpan.FromSeconds(2)), $"{d} has no gap above two intervals");
            readings.Where(r => r.Asset == d && r.Slot > stoppedAt.AddSeconds(1)).Should().OnlyContain(r => r.Node == "poller:node-b");
        }
    }

    [Fact]
    public async Task A_node_that_dies_without_releasing_loses_its_devices_after_the_lease_ttl()
    {
        foreach (var d in Devices) await _h.ConfigureAsync(new ConfigurePolling(d, "127.0.0.1", "ups-mib", _sim.Port, IntervalSeconds: 1));
        var doomedStore = await _h.OpenStoreAsync();
        var a = await _h.StartPollerAsync("node-a", store: doomedStore);
        var b = await _h.StartPollerAsync("node-b");
        await Task.Delay(TimeSpan.FromSeconds(3));
        a.Held.Should().NotBeEmpty();
        var orphaned = a.Held.ToList();

        // The node loses its database: no release, no heartbeat; its leases must simply expire.
        var diedAt = DateTimeOffset.UtcNow;
        await doomedStore.DisposeAsync();
        await Task.Delay(TimeSpan.FromSeconds(4));
        b.Held.Should().HaveCount(Devices.Length);

        var readings = await ReadingsAsync();
        foreach (var d in orphaned)
        {
            var slots = readings.Where(r => r.Asset == d && r.Slot >= diedAt.AddSeconds(-2)).Select(r => r.Slot).Order().ToList();
            slots.Should().OnlyHaveUniqueItems();
            slots.Zip(slots.Skip(1), (x, y) => y - x).Should().AllSatisfy(gap => gap.Should().BeLessThanOrEqualTo(TimeSpan.FromSeconds(2)), $"{d} moves within two intervals");
            readings.Should().Contain(r => r.Asset == d && r.Node == "poller:node-b" && r.Slot > diedAt);
        }
    }
}
