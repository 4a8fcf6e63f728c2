using DcAssets.EventStore.Daemon;
using DcAssets.EventStore.Tests.Infrastructure;

namespace DcAssets.EventStore.Tests.Daemon;

public sealed class DaemonResilienceTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private static DaemonOptions Fast(string node) => new()
    {
        NodeId = node, BatchSize = 200, PollInterval = TimeSpan.FromMilliseconds(200),
        LeaseInterval = TimeSpan.FromMilliseconds(200), FirstBackoff = TimeSpan.FromMilliseconds(50),
    };

    private static async Task AppendAsync(EventStore store, string prefix, int events)
    {
        for (var done = 0; done < events; done += 50)
        {
            await using var s = store.OpenSession(TestStores.Engineer);
            for (var i = 0; i < 50; i++) s.Events.Append($"{prefix}-{i % 7}", new Counted(0, done + i));
            await s.SaveChangesAsync();
        }
    }

    [Fact]
    public async Task Killing_the_daemons_connections_mid_batch_loses_nothing_and_repeats_nothing()
    {
        await using var store = await TestStores.OpenAsync(db.ConnectionString);
        await SeenLog.CreateAsync(store, "crash");
        await AppendAsync(store, "crash", 3000);
        await using var daemon = new ProjectionDaemon(store, [new SeenLog("crash", applyDelay: TimeSpan.FromMilliseconds(30))], Fast("crashy"));
        await daemon.StartAsync();

        // Terminate every other backend of this database while pages are being applied.
        for (var kill = 0; kill < 5; kill++)
        {
            await Task.Delay(150);
            await db.ExecAsync($"select pg_terminate_backend(pid) from pg_stat_activity where datname = '{db.Name}' and pid <> pg_backend_pid()");
        }
        await Wait.UntilCaughtUpAsync(db, "crash", TimeSpan.FromMinutes(2));
        (await db.ScalarAsync<long>("select count(*) from seen_crash")).Should().Be(await db.ScalarAsync<long>("select count(*) from dcassets.events"));
        (await db.ScalarAsync<string>("select state from dcassets.projection_progress where name = 'crash'")).Should().Be("running");
    }

    [Fact]
    public async Task Two_nodes_run_each_projection_once_and_the_survivor_takes_over()
    {
        await using var storeA = await TestStores.OpenAsync(db.ConnectionString);
        await using var storeB = await TestStores.OpenAsync(db.ConnectionString);
        string[] names = ["node_p1", "node_p2", "node_p3", "node_p4"];
        foreach (var n in names) await SeenLog.CreateAsync(storeA, n);
        var nodeA = new ProjectionDaemon(storeA, names.Select(n => new SeenLog(n)), Fast("node-a"));
        await using var nodeB = new ProjectionDaemon(storeB, names.Select(n => new SeenLog(n)), Fast("node-b"));
        await nodeA.StartAsync();
        await nodeB.StartAsync();

        await Wait.UntilAsync(() => Task.FromResult(nodeA.Running.Count + nodeB.Running.Count == names.Length), TimeSpan.FromSeconds(20), "all projections run");
        nodeA.Running.Intersect(nodeB.Running).Should().BeEmpty("each projection runs on exactly one node");
        await AppendAsync(storeA, "two", 500);
        foreach (var n in names) await Wait.UntilCaughtUpAsync(db, n, TimeSpan.FromSeconds(30));

        var stopped = DateTime.UtcNow;
        await nodeA.StopAsync();
        await Wait.UntilAsync(() => Task.FromResult(nodeB.Running.Count == names.Length), TimeSpan.FromSeconds(15), "node b took everything over");
        (DateTime.UtcNow - stopped).Should().BeLessThan(TimeSpan.FromSeconds(10));

        await AppendAsync(storeB, "two", 500);
        foreach (var n in names)
        {
            await Wait.UntilCaughtUpAsync(db, n, TimeSpan.FromSeconds(30));
            (await db.ScalarAsync<long>($"select count(*) from seen_{n}")).Should().Be(
                await db.ScalarAsync<long>("select count(*) from dcassets.events"), $"{n} saw every event once across the hand-over");
        }
    }

    [Fact]
    public async Task A_projection_that_keeps_throwing_is_faulted_with_its_error_and_position_while_others_run_on()
    {
        await using var store = await TestStores.OpenAsync(db.ConnectionString);
        await SeenLog.CreateAsync(store, "healthy");
        await using (var s = store.OpenSession(TestStores.Engineer))
        {
            s.Events.StartStream("fault-1", new ThingRegistered("F", "R1"), new Poison("bad reading"));
            await s.SaveChangesAsync();
        }
        await using var daemon = new ProjectionDaemon(store, [new ProjectionConsumer(store, new ThingRows()), new SeenLog("healthy")],
            Fast("faulty") with { MaxFailures = 3 });
        await daemon.StartAsync();

        await Wait.UntilAsync(async () => await db.ScalarAsync<string>("select coalesce((select state from dcassets.projection_progress where name = 'thing_rows'), '')") == "faulted",
            TimeSpan.FromSeconds(30), "thing_rows faulted");
        var poison = await db.ScalarAsync<long>("select seq from dcassets.events where type = 'poison'");
        var status = (await new ProgressTable(store.DataSource, store.Schema).StatusAsync(default)).Single(p => p.Name == "thing_rows");
        status.LastError.Should().Contain("bad reading");
        status.ErrorPosition.Should().BeLessThanOrEqualTo(poison);
        status.Failures.Should().Be(3);
        status.EventsBehind.Should().BeGreaterThan(0);
        await Wait.UntilCaughtUpAsync(db, "healthy", TimeSpan.FromSeconds(30));
    }
}
