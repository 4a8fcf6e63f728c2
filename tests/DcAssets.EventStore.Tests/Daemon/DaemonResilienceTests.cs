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
        // Named, so the kills below reach this store's connections and not the test's own.
        await using var store = await TestStores.OpenAsync(new Npgsql.NpgsqlConnectionStringBuilder(db.ConnectionString) { ApplicationName = "crashy" }.ConnectionString);
        await SeenLog.CreateAsync(store, "crash");
        await AppendAsync(store, "crash", 3000);
        var kills = 0;
        // From inside the apply, after the batch's rows went in and before its commit: terminate every
        // backend of the daemon (the batch's own connection, the lease and the listener among them).
        var log = new SeenLog("crash", afterInsert: async batch =>
        {
            if (batch % 3 != 0 || kills >= 5) return;
            kills++;
            await db.ExecAsync($"select pg_terminate_backend(pid) from pg_stat_activity where datname = '{db.Name}' and (application_name = 'crashy' or application_name like 'dcassets-% crashy')");
        });
        await using var daemon = new ProjectionDaemon(store, [log], Fast("crashy"));
        await daemon.StartAsync();

        await Wait.UntilCaughtUpAsync(db, "crash", TimeSpan.FromMinutes(2));
        kills.Should().Be(5, "every kill landed inside a batch");
        (await db.ScalarAsync<long>("select count(*) from seen_crash")).Should().Be(await db.ScalarAsync<long>("select count(*) from dcassets.events"));
        (await db.ScalarAsync<string>("select state from dcassets.projection_progress where name = 'crash'")).Should().Be("running");
        (await db.ScalarAsync<int>("select failures from dcassets.projection_progress where name = 'crash'")).Should().Be(0, "a lost connection is not the projection's failure");
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
    public async Task When_a_host_dies_without_stopping_the_other_takes_over_within_seconds()
    {
        string[] names = ["dead_p1", "dead_p2", "dead_p3"];
        var storeA = await TestStores.OpenAsync(db.ConnectionString);
        await using var storeB = await TestStores.OpenAsync(db.ConnectionString);
        foreach (var n in names) await SeenLog.CreateAsync(storeB, n);
        await AppendAsync(storeB, "dead", 300);
        // Node a takes every lease first, then would not look at its leases again for a minute.
        var nodeA = new ProjectionDaemon(storeA, names.Select(n => new SeenLog(n)), Fast("node-dead") with { LeaseInterval = TimeSpan.FromMinutes(1) });
        await nodeA.StartAsync();
        await Wait.UntilAsync(() => Task.FromResult(nodeA.Running.Count == names.Length), TimeSpan.FromSeconds(20), "node a runs everything");
        await using var nodeB = new ProjectionDaemon(storeB, names.Select(n => new SeenLog(n)), Fast("node-alive"));
        await nodeB.StartAsync();
        await Task.Delay(500);
        nodeB.Running.Should().BeEmpty("node a holds every lease");

        // The host dies: its runners can no longer reach the database, and the server drops its
        // sessions (as its keepalives do for a crashed host), which frees the leases. No StopAsync.
        await storeA.DisposeAsync();
        await Wait.UntilAsync(() => Task.FromResult(nodeA.Running.Count == 0), TimeSpan.FromSeconds(20), "node a's runners died");
        var died = DateTime.UtcNow;
        (await db.ScalarAsync<long>($"select count(pg_terminate_backend(pid)) from pg_stat_activity where application_name = '{ProjectionDaemon.LeaseApplicationName("node-dead")}'"))
            .Should().Be(1, "node a's lease connection is named in pg_stat_activity");

        await Wait.UntilAsync(() => Task.FromResult(nodeB.Running.Count == names.Length), TimeSpan.FromSeconds(10), "node b took everything over");
        (DateTime.UtcNow - died).Should().BeLessThan(TimeSpan.FromSeconds(5));
        await AppendAsync(storeB, "dead", 300);
        foreach (var n in names)
        {
            await Wait.UntilCaughtUpAsync(db, n, TimeSpan.FromSeconds(30));
            (await db.ScalarAsync<long>($"select count(*) from seen_{n}")).Should().Be(
                await db.ScalarAsync<long>("select count(*) from dcassets.events"), $"{n} saw every event once across the take-over");
        }
        await nodeA.StopAsync();
    }

    [Fact]
    public async Task Lease_connections_ask_the_server_for_keepalives_so_a_crashed_hosts_leases_are_freed_in_seconds()
    {
        // Keepalive settings only exist on TCP connections: connect to the same server over loopback.
        var tcp = new Npgsql.NpgsqlConnectionStringBuilder(db.ConnectionString) { Host = "127.0.0.1" };
        await using var store = await TestStores.OpenAsync(tcp.ConnectionString);
        await using var conn = new Npgsql.NpgsqlConnection(store.DedicatedConnection("keepalive-probe"));
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(
            "select current_setting('tcp_keepalives_idle'), current_setting('tcp_keepalives_interval'), current_setting('tcp_keepalives_count')", conn);
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        (r.GetString(0), r.GetString(1), r.GetString(2)).Should().Be(("5", "2", "3"));
    }

    [Fact]
    public async Task Deadlocks_and_serialization_failures_are_retried_without_ever_faulting_the_projection()
    {
        await using var store = await TestStores.OpenAsync(db.ConnectionString);
        await SeenLog.CreateAsync(store, "victim");
        await AppendAsync(store, "victim", 200);
        var victim = new VictimLog("victim", ["40P01", "40001", "40P01", "40001", "40P01", "40001"]);
        await using var daemon = new ProjectionDaemon(store, [victim], Fast("victims") with { MaxFailures = 2 });
        await daemon.StartAsync();

        await Wait.UntilCaughtUpAsync(db, "victim", TimeSpan.FromSeconds(60));
        victim.Raised.Should().Be(6, "each error came from the server, more often than MaxFailures");
        (await StateAsync("victim")).Should().Be("running");
        (await db.ScalarAsync<int>("select failures from dcassets.projection_progress where name = 'victim'")).Should().Be(0);
        (await db.ScalarAsync<long>("select count(*) from seen_victim")).Should().Be(await db.ScalarAsync<long>("select count(*) from dcassets.events"));
    }

    private Task<string> StateAsync(string name) =>
        db.ScalarAsync<string>($"select coalesce((select state from dcassets.projection_progress where name = '{name}'), '')");

    [Fact]
    public async Task Overlapping_stops_all_wait_for_one_stop_and_the_daemon_can_start_again()
    {
        await using var store = await TestStores.OpenAsync(db.ConnectionString);
        await SeenLog.CreateAsync(store, "stops");
        await using var daemon = new ProjectionDaemon(store, [new SeenLog("stops")], Fast("stopper"));
        await daemon.StartAsync();
        await Wait.UntilAsync(() => Task.FromResult(daemon.Running.Count == 1), TimeSpan.FromSeconds(10), "the runner started");

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(daemon.StopAsync)));
        daemon.Running.Should().BeEmpty();

        await daemon.StartAsync();
        await AppendAsync(store, "stops", 50);
        await Wait.UntilCaughtUpAsync(db, "stops", TimeSpan.FromSeconds(20));
    }
}


/// <summary>A consumer the server picks as a deadlock or serialization victim on its first pages (real errors, raised by PostgreSQL).</summary>
public sealed class VictimLog(string name, string[] sqlStates) : IFeedConsumer
{
    private readonly SeenLog _log = new(name);
    public int Raised;
    public string Name => name;
    public DcAssets.EventStore.Projections.DocumentTable? Table => null;
    public bool WantsData(string typeName) => false;

    public async Task ApplyAsync(IReadOnlyList<FeedEvent> page, Npgsql.NpgsqlConnection conn, Npgsql.NpgsqlTransaction tx, string? table, CancellationToken ct)
    {
        await _log.ApplyAsync(page, conn, tx, table, ct);
        if (page.Count == 0 || Raised >= sqlStates.Length) return;
        var state = sqlStates[Raised++];
        await using var cmd = new Npgsql.NpgsqlCommand($"do $$ begin raise exception using errcode = '{state}', message = 'chosen as a victim ({state})'; end $$", conn, tx);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
