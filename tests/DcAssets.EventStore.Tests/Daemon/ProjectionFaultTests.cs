using DcAssets.EventStore.Daemon;
using DcAssets.EventStore.Tests.Infrastructure;

namespace DcAssets.EventStore.Tests.Daemon;

public sealed class ProjectionFaultTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private static DaemonOptions Fast(string node) => new()
    {
        NodeId = node, BatchSize = 200, PollInterval = TimeSpan.FromMilliseconds(200),
        LeaseInterval = TimeSpan.FromMilliseconds(200), FirstBackoff = TimeSpan.FromMilliseconds(50),
    };

    [Fact]
    public async Task A_projection_that_keeps_throwing_is_faulted_at_the_event_that_threw_keeps_its_lease_and_others_run_on()
    {
        await using var store = await TestStores.OpenAsync(db.ConnectionString);
        await SeenLog.CreateAsync(store, "healthy");
        await using (var s = store.OpenSession(TestStores.Engineer))
        {
            // The poison sits in the middle of a page, after events the projection folds without trouble.
            for (var i = 0; i < 10; i++) s.Events.StartStream($"fault-{i}", new ThingRegistered("F", "R1"));
            s.Events.Append("fault-3", new ThingMoved("R2", 1), new Poison("bad reading"), new ThingMoved("R3", 2));
            await s.SaveChangesAsync();
        }
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var daemon = new ProjectionDaemon(store, [new ProjectionConsumer(store, new ThingRows()), new SeenLog("healthy")],
            Fast("faulty") with { MaxFailures = 3, Log = log.Enqueue });
        await daemon.StartAsync();

        await Wait.UntilAsync(async () => await StateAsync("thing_rows") == "faulted", TimeSpan.FromSeconds(30), "thing_rows faulted");
        var poison = await db.ScalarAsync<long>("select seq from dcassets.events where type = 'poison'");
        var status = (await new ProgressTable(store.DataSource, store.Schema).StatusAsync(default)).Single(p => p.Name == "thing_rows");
        status.LastError.Should().Contain("bad reading");
        status.ErrorPosition.Should().Be(poison, "the event that threw, not the start of its page");
        status.Failures.Should().Be(3);
        status.EventsBehind.Should().BeGreaterThan(0);
        await Wait.UntilCaughtUpAsync(db, "healthy", TimeSpan.FromSeconds(30));

        // Faulted, it keeps its lease and idles: no lease round after round, no log line per round.
        await Task.Delay(TimeSpan.FromSeconds(2));
        daemon.Running.Should().Contain("thing_rows");
        log.Count(m => m.Contains("runs thing_rows")).Should().Be(1, string.Join("\n", log));

        // Resumed, the same runner tries again, and faults again at the same event.
        await new ProgressTable(store.DataSource, store.Schema).ResumeAsync("thing_rows", default);
        await Wait.UntilAsync(async () => await db.ScalarAsync<int>("select failures from dcassets.projection_progress where name = 'thing_rows'") > 0,
            TimeSpan.FromSeconds(30), "the resumed projection ran again");
        await Wait.UntilAsync(async () => await StateAsync("thing_rows") == "faulted", TimeSpan.FromSeconds(30), "thing_rows faulted again");
        (await db.ScalarAsync<long>("select error_position from dcassets.projection_progress where name = 'thing_rows'")).Should().Be(poison);
        log.Count(m => m.Contains("runs thing_rows")).Should().Be(1);
    }

    private Task<string> StateAsync(string name) =>
        db.ScalarAsync<string>($"select coalesce((select state from dcassets.projection_progress where name = '{name}'), '')");
}

/// <summary>Its own database: the unknown event would fault every other projection of a shared one.</summary>
public sealed class UnknownEventTypeTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private static DaemonOptions Fast(string node) => new()
    {
        NodeId = node, BatchSize = 200, PollInterval = TimeSpan.FromMilliseconds(200),
        LeaseInterval = TimeSpan.FromMilliseconds(200), FirstBackoff = TimeSpan.FromMilliseconds(50),
    };

    [Fact]
    public async Task An_event_of_a_type_this_node_does_not_know_faults_the_projection_naming_type_and_position()
    {
        // A newer node appended an event type this node has never heard of.
        var newer = TestStores.Options(db.ConnectionString);
        newer.Events.Register<Unheard>("unheard_of");
        await using (var newerStore = await EventStore.CreateAsync(newer))
        await using (var s = newerStore.OpenSession(TestStores.Engineer))
        {
            s.Events.StartStream("unheard-1", new ThingRegistered("U", "R1"), new Unheard("?"), new ThingMoved("R2", 1));
            await s.SaveChangesAsync();
        }
        await using var store = await TestStores.OpenAsync(db.ConnectionString);
        await using var daemon = new ProjectionDaemon(store, [new ProjectionConsumer(store, new StreamTallies())], Fast("older") with { MaxFailures = 2 });
        await daemon.StartAsync();

        await Wait.UntilAsync(async () => await StateAsync("stream_tallies") == "faulted", TimeSpan.FromSeconds(30), "stream_tallies faulted");
        var unheard = await db.ScalarAsync<long>("select seq from dcassets.events where type = 'unheard_of'");
        var status = (await new ProgressTable(store.DataSource, store.Schema).StatusAsync(default)).Single(p => p.Name == "stream_tallies");
        status.LastError.Should().Contain("'unheard_of'").And.Contain($"position {unheard}");
        status.ErrorPosition.Should().Be(unheard);
    }

    private Task<string> StateAsync(string name) =>
        db.ScalarAsync<string>($"select coalesce((select state from dcassets.projection_progress where name = '{name}'), '')");
}

public sealed record Unheard(string What);
