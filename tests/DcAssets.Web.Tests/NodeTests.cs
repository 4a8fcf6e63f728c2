using DcAssets.Telemetry.Readings;
using DcAssets.Web.Tests.Infrastructure;
using Marten;
using Marten.Events;

namespace DcAssets.Web.Tests;

/// <summary>
/// Two more nodes of the product as processes of their own on one database, sharing the poll groups and the async
/// projections through Wolverine; one is killed without warning. Here a node is taken for dead after 3 s of silence
/// (Nodes:StaleSeconds), the devices are polled every 5 s. The host that set the room up takes part as a node that
/// polls nothing (telemetry off) and runs no projection.
/// </summary>
public sealed class NodeTests : IAsyncLifetime
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(90);
    private static readonly string[] Devices = Enumerable.Range(1, 8).Select(i => $"UPS-N{i}").ToArray();
    private readonly DcAssetsApp _app = new(kestrel: false, loginsPerMinute: 1000, telemetry: true)
    {
        Settings = { ["Telemetry:Enabled"] = "false", ["DCASSETS_DAEMON"] = "off" },
    };
    private readonly TelemetrySimulator _sim = new();
    private readonly List<NodeProcess> _nodes = [];

    public async Task InitializeAsync()
    {
        await Task.WhenAll(_app.InitializeAsync(), _sim.InitializeAsync());
        await MachineRoom.BuildAsync(_app);
        foreach (var tag in Devices)
        {
            await _app.Scenario(x =>
            {
                x.Post.Json(new { tag, category = "ups", room = "R101", status = "in_service" })
                    .ToUrl("/api/v1/assets");
                x.StatusCodeShouldBe(201);
            });
            await _app.Scenario(x =>
            {
                x.Put.Json(new { address = "127.0.0.1", port = _sim.Port, profile = "ups-mib",
                    intervalSeconds = (int)Interval.TotalSeconds }).ToUrl($"/api/v1/telemetry/devices/{tag}/polling");
                x.StatusCodeShouldBe(200);
            });
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var n in _nodes) await n.DisposeAsync();
        await Task.WhenAll(_app.DisposeAsync(), _sim.DisposeAsync());
    }

    private NodeProcess Start(string name, bool projections = true)
    {
        var node = NodeProcess.Start(name, _app.ConnectionString,
            projections ? null : new Dictionary<string, string> { ["DCASSETS_DAEMON"] = "off" });
        _nodes.Add(node);
        return node;
    }

    private async Task<List<(string Asset, DateTimeOffset Slot, string Node)>> ReadingsAsync()
    {
        await using var q = _app.Marten.QuerySession();
        var events = await q.Events.QueryAllRawEvents().ToListAsync();
        return events.Where(e => e.Data is UpsReadingRecorded)
            .Select(e => (((UpsReadingRecorded)e.Data).AssetId, ((UpsReadingRecorded)e.Data).ScheduledAt,
                EventHeaders.Read(e, EventHeaders.ActorId) ?? "")).ToList();
    }

    private async Task UntilAsync(Func<Task<bool>> done, string what)
    {
        var until = DateTime.UtcNow + Budget;
        while (!await done())
        {
            if (DateTime.UtcNow > until)
                throw new TimeoutException($"not within {Budget.TotalSeconds} s: {what}\n" +
                    await _app.ScalarAsync<string>("select string_agg(n.node_number || ' ' || a.id, ', ') " +
                        "from dcassets.wolverine_node_assignments a " +
                        "join dcassets.wolverine_nodes n on n.id = a.node_id")
                    + "\n" + string.Join("\n", _nodes.Select(n => n.Output)));
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task The_devices_of_a_node_killed_without_warning_are_polled_by_another_within_two_intervals()
    {
        var a = Start("node-a");
        var b = Start("node-b");
        await UntilAsync(async () =>
        {
            var recent = (await ReadingsAsync()).Where(r => r.Slot > DateTimeOffset.UtcNow - Interval * 2).ToList();
            return recent.Any(r => r.Node == "poller:node-a") && recent.Any(r => r.Node == "poller:node-b");
        }, "both nodes poll");
        var orphaned = (await ReadingsAsync()).Where(r => r.Slot > DateTimeOffset.UtcNow - Interval * 2)
            .Where(r => r.Node == "poller:node-a").Select(r => r.Asset).Distinct().ToList();

        await a.KillAsync();
        var killedAt = DateTimeOffset.UtcNow;
        await UntilAsync(async () =>
        {
            var readings = await ReadingsAsync();
            return Devices.All(d => readings.Any(r => r.Asset == d && r.Slot > killedAt + Interval
                && r.Node == "poller:node-b"));
        }, "node-b polls every device");

        var all = await ReadingsAsync();
        foreach (var d in orphaned)
        {
            var lastByA = all.Where(r => r.Asset == d && r.Node == "poller:node-a").Max(r => r.Slot);
            var firstByB = all.Where(r => r.Asset == d && r.Node == "poller:node-b" && r.Slot > lastByA)
                .Min(r => r.Slot);
            (firstByB - lastByA).Should().BeLessThanOrEqualTo(Interval * 2, $"{d} is taken over within two intervals");
        }
        orphaned.Should().NotBeEmpty("node-a polled devices before it was killed");
        all.GroupBy(r => (r.Asset, r.Slot)).Should().OnlyContain(g => g.Count() == 1, "no slot is polled twice");
    }

    [Fact]
    public async Task The_projections_of_a_node_killed_without_warning_go_on_on_another()
    {
        // Node a alone first, so it runs every async projection; node b joins (and may take some), then a dies.
        var a = Start("node-a");
        const string running = "select count(*) from dcassets.wolverine_node_assignments " +
            "where id like 'event-subscriptions:%'";
        await UntilAsync(async () => await _app.ScalarAsync<long>(running) > 0, "node-a runs the projections");
        Start("node-b");
        await UntilAsync(async () => await _app.ScalarAsync<long>("select count(*) from dcassets.wolverine_nodes")
            >= 3, "node-b joins");
        await a.KillAsync();

        // A reading of a device nobody polls, in an hour long gone: only a projection can make its rollup.
        var at = new DateTimeOffset(2026, 2, 1, 8, 0, 0, TimeSpan.Zero);
        await using (var s = _app.Marten.LightweightSession())
        {
            s.Events.Append(DcAssets.Telemetry.TelemetryStreams.Readings("UPS-X9", at),
                new UpsReadingRecorded("UPS-X9", "ups-mib", at, at, 2, "schedule",
                    [new Reading("output_load.1", 42, 1, "%")]));
            await s.SaveChangesAsync();
        }
        await _app.Marten.WaitForNonStaleProjectionDataAsync(Budget);
        await using var q = _app.Marten.QuerySession();
        (await q.LoadAsync<HourlyReadingRollup>(ReadingRollup.Key("UPS-X9", at))).Should().NotBeNull(
            "the hourly rollup is projected by the surviving node");
    }
}
