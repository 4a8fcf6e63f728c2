using DcAssets.Telemetry.Polling;
using DcAssets.Telemetry.Readings;
using DcAssets.Tests.Telemetry.Infrastructure;

namespace DcAssets.Tests.Telemetry;

/// <summary>
/// Two poller nodes with the product's default options share one database: each device polled once per
/// interval with no slot missed, and taken over within two intervals when a node stops or dies. The
/// devices use the shortest interval the product accepts (2 s), so the lease is derived, not set by the test.
/// </summary>
public sealed class PollerNodeTests : IAsyncLifetime
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(ConfigurePollingHandler.MinIntervalSeconds);
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
            .Select(e => (((UpsReadingRecorded)e.Data).AssetId, ((UpsReadingRecorded)e.Data).ScheduledAt,
                TelemetryHarness.ActorOf(e)!)).ToList();

    private async Task ConfigureAsync()
    {
        foreach (var d in Devices) await _h.ConfigureAsync(new ConfigurePolling(d, "127.0.0.1", "ups-mib", _sim.Port, IntervalSeconds: (int)Interval.TotalSeconds));
    }

    /// <summary>Both nodes hold devices, none twice, all of them: the rendezvous split is in place.</summary>
    private static async Task<DateTimeOffset> SettledAsync(Poller a, Poller b)
    {
        (await TelemetryHarness.EventuallyAsync(() => Task.FromResult(a.Held.Count > 0 && b.Held.Count > 0 && !a.Held.Overlaps(b.Held)
            && a.Held.Count + b.Held.Count == Devices.Length), TimeSpan.FromSeconds(20))).Should().BeTrue("both nodes share the devices");
        return DateTimeOffset.UtcNow;
    }

    private async Task ReadingsAfterAsync(DateTimeOffset after, int count, string? node = null) =>
        (await TelemetryHarness.EventuallyAsync(async () =>
        {
            var readings = await ReadingsAsync();
            return Devices.All(d => readings.Count(r => r.Asset == d && r.Slot > after && (node is null || r.Node == node)) >= count);
        }, TimeSpan.FromSeconds(30))).Should().BeTrue($"every device polled {count} times after {after:O}");

    private static void NoGapAbove(IReadOnlyList<DateTimeOffset> slots, TimeSpan max, string because) =>
        slots.Zip(slots.Skip(1), (x, y) => y - x).Should().AllSatisfy(gap => gap.Should().BeLessThanOrEqualTo(max), because);

    [Fact]
    public async Task Each_device_is_polled_once_per_interval_and_a_stopped_nodes_devices_move_within_two_intervals()
    {
        await ConfigureAsync();
        var a = await _h.StartPollerAsync("node-a");
        var b = await _h.StartPollerAsync("node-b");
        var settled = await SettledAsync(a, b);
        a.LeaseTtl.Should().Be(Interval, "the lease follows the shortest interval");
        await ReadingsAfterAsync(settled, 4);

        var stoppedAt = DateTimeOffset.UtcNow;
        await a.StopAsync();
        b.Held.Should().NotBeEmpty();
        await ReadingsAfterAsync(stoppedAt.Add(Interval), 2, "poller:node-b");
        b.Held.Should().HaveCount(Devices.Length);

        var readings = await ReadingsAsync();
        readings.Select(r => r.Node).Distinct().Should().BeEquivalentTo(["poller:node-a", "poller:node-b"]);
        var first = Poller.Slot(settled, Interval) + Interval;
        var last = Poller.Slot(stoppedAt, Interval) - Interval; // the slot in flight at the stop may end either way
        foreach (var d in Devices)
        {
            var slots = readings.Where(r => r.Asset == d && r.Slot >= first).Select(r => r.Slot).Order().ToList();
            slots.Should().OnlyHaveUniqueItems($"{d} is polled once per interval");
            for (var slot = first; slot <= last; slot += Interval) slots.Should().Contain(slot, $"{d} misses no slot while both nodes run");
            NoGapAbove(slots, Interval * 2, $"{d} has no gap above two intervals");
            readings.Where(r => r.Asset == d && r.Slot > stoppedAt.Add(Interval)).Should().OnlyContain(r => r.Node == "poller:node-b");
        }
    }

    [Fact]
    public async Task A_node_that_dies_without_releasing_loses_its_devices_within_two_intervals()
    {
        await ConfigureAsync();
        var (a, loseDatabase) = await _h.StartNodeWithOwnDatabaseAsync("node-a");
        var b = await _h.StartPollerAsync("node-b");
        await ReadingsAfterAsync(await SettledAsync(a, b), 1);
        var orphaned = a.Held.ToList();
        orphaned.Should().NotBeEmpty();

        // The node loses its database: no release, no heartbeat; its leases must simply expire.
        var diedAt = DateTimeOffset.UtcNow;
        await loseDatabase();
        await ReadingsAfterAsync(diedAt.Add(Interval), 2, "poller:node-b");
        b.Held.Should().HaveCount(Devices.Length);

        var readings = await ReadingsAsync();
        foreach (var d in orphaned)
        {
            var slots = readings.Where(r => r.Asset == d && r.Slot >= diedAt - Interval * 2).Select(r => r.Slot).Order().ToList();
            slots.Should().OnlyHaveUniqueItems();
            NoGapAbove(slots, Interval * 2, $"{d} moves within two intervals");
            var lastByA = readings.Where(r => r.Asset == d && r.Node == "poller:node-a").Max(r => r.Slot);
            var firstByB = readings.Where(r => r.Asset == d && r.Node == "poller:node-b" && r.Slot > lastByA).Min(r => r.Slot);
            (firstByB - lastByA).Should().BeLessThanOrEqualTo(Interval * 2, $"{d} is taken over within two intervals of the last poll");
        }
    }
}
