using DcAssets.EventStore.Daemon;
using DcAssets.EventStore.Projections;
using DcAssets.EventStore.Tests.Infrastructure;

namespace DcAssets.EventStore.Tests.Daemon;

public sealed record StreamTally(string Id, long Events, long LastVersion);

/// <summary>An async read model whose from-scratch answer is easy to compute in SQL.</summary>
public sealed class StreamTallies : DocumentProjection<StreamTally>
{
    public StreamTallies() : base("stream_tallies") => Handles<Counted>();

    protected override StreamTally? Apply(StreamTally? current, StoredEvent e) =>
        new(e.StreamId, (current?.Events ?? 0) + 1, e.Version);
}

public sealed class RebuildTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_rebuild_during_appends_swaps_in_a_model_equal_to_a_fold_from_scratch()
    {
        var options = TestStores.Options(db.ConnectionString);
        options.AsyncProjections.Add(new StreamTallies());
        await using var store = await EventStore.CreateAsync(options);
        await using var daemon = new ProjectionDaemon(store, ProjectionDaemon.DefaultConsumers(store),
            new DaemonOptions { BatchSize = 250, PollInterval = TimeSpan.FromMilliseconds(200), LeaseInterval = TimeSpan.FromMilliseconds(200) });
        await daemon.StartAsync();

        using var stop = new CancellationTokenSource();
        var writers = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                await using var s = store.OpenSession(TestStores.Engineer);
                for (var k = 0; k < 20; k++) s.Events.Append($"tally-{w}-{(i + k) % 11}", new Counted(w, i));
                await s.SaveChangesAsync();
            }
        })).ToList();

        await Wait.UntilAsync(async () => await db.ScalarAsync<long>("select count(*) from dcassets.events") > 3000, TimeSpan.FromSeconds(60), "some history exists");
        // Corrupt the live model by hand: the rebuild must replace it wholesale.
        await db.ExecAsync("update dcassets.doc_stream_tallies set data = jsonb_set(data, '{events}', '-1')");
        await new ProgressTable(store.DataSource, store.Schema).RequestRebuildAsync("stream_tallies", default);
        await Wait.UntilAsync(async () => await db.ScalarAsync<bool>("select rebuild_requested_at is null from dcassets.projection_progress where name = 'stream_tallies'"),
            TimeSpan.FromSeconds(90), "the rebuild finished");
        await Task.Delay(300);
        await stop.CancelAsync();
        await Task.WhenAll(writers);
        await Wait.UntilCaughtUpAsync(db, "stream_tallies", TimeSpan.FromSeconds(60));

        var mismatches = await db.ScalarAsync<long>("""
            select count(*) from (
              select stream_id, count(*) as n, max(version) as v from dcassets.events where type = 'counted' group by stream_id) f
            full join dcassets.doc_stream_tallies d on d.id = f.stream_id
            where d.id is null or f.stream_id is null or (d.data->>'events')::bigint <> f.n or (d.data->>'lastVersion')::bigint <> f.v
            """);
        mismatches.Should().Be(0);
        (await db.ScalarAsync<long>("select count(*) from pg_tables where tablename like 'doc_stream_tallies_%'")).Should().Be(0, "the shadow was swapped in");
        (await store.QuerySession().Query<StreamTally>().CountAsync()).Should().Be(33);
    }
}

public sealed class RebuildFencingTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_rebuild_whose_projection_moved_on_meanwhile_is_discarded_instead_of_swapped_in()
    {
        var options = TestStores.Options(db.ConnectionString);
        options.AsyncProjections.Add(new FencedTallies());
        await using var store = await EventStore.CreateAsync(options);
        await store.MigrateAsync();
        await using (var s = store.OpenSession(TestStores.Engineer))
        {
            for (var k = 0; k < 30; k++) s.Events.Append($"fenced-{k % 3}", new Counted(9, k));
            await s.SaveChangesAsync();
        }
        var consumer = new ProjectionConsumer(store, options.AsyncProjections[0]);
        await db.ExecAsync("insert into dcassets.doc_fenced_tallies (id, data, version) values ('kept', '{\"id\":\"kept\",\"events\":7,\"lastVersion\":7}', 1)");

        // While this rebuild replays, another runner (which took the lease) advances the live projection.
        var rebuild = new ProjectionRebuild(store, consumer);
        var act = () => rebuild.RunAsync(new OnFirstReport(() => db.ExecAsync("update dcassets.projection_progress set last_seq = 5, owner = 'other-node' where name = 'fenced_tallies'")), default);
        (await act.Should().ThrowAsync<RebuildFencedException>()).WithMessage("*moved on from position 0*discarded*");

        (await db.ScalarAsync<long>("select count(*) from dcassets.doc_fenced_tallies")).Should().Be(1, "the live table was left as the other runner has it");
        (await db.ScalarAsync<long>("select last_seq from dcassets.projection_progress where name = 'fenced_tallies'")).Should().Be(5);
        (await db.ScalarAsync<long>("select count(*) from pg_tables where tablename like 'doc_fenced_tallies_%'")).Should().Be(0, "the discarded shadow was dropped");

        // Unfenced, the same rebuild swaps in a whole model.
        await db.ExecAsync("update dcassets.projection_progress set last_seq = 0 where name = 'fenced_tallies'");
        (await new ProjectionRebuild(store, consumer).RunAsync(null, default)).Should().Be(30);
        (await db.ScalarAsync<long>("select count(*) from dcassets.doc_fenced_tallies")).Should().Be(3);
    }

    private sealed class OnFirstReport(Func<Task> action) : IProgress<(long Position, long Target)>
    {
        private int _done;
        public void Report((long Position, long Target) value)
        {
            if (Interlocked.Exchange(ref _done, 1) == 0) action().GetAwaiter().GetResult();
        }
    }
}

public sealed class FencedTallies : DocumentProjection<StreamTally>
{
    public FencedTallies() : base("fenced_tallies") => Handles<Counted>();

    protected override StreamTally? Apply(StreamTally? current, StoredEvent e) => new(e.StreamId, (current?.Events ?? 0) + 1, e.Version);
}

public sealed class RebuildFailureTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_rebuild_that_throws_faults_the_projection_once_and_leaves_the_live_model()
    {
        await using var store = await TestStores.OpenAsync(db.ConnectionString);
        await using (var s = store.OpenSession(TestStores.Engineer))
        {
            s.Events.StartStream("rebuild-1", new ThingRegistered("A", "R1"), new Poison("cannot fold this any more"));
            await s.SaveChangesAsync();
        }
        // The live model was built by code that folded everything; today's code throws on the poison.
        var progress = new ProgressTable(store.DataSource, store.Schema);
        await progress.EnsureAsync("thing_rows", default);
        var head = await db.ScalarAsync<long>("select max(seq) from dcassets.events");
        await db.ExecAsync($"update dcassets.projection_progress set last_seq = {head} where name = 'thing_rows'");
        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await using var daemon = new ProjectionDaemon(store, [new ProjectionConsumer(store, new ThingRows())],
            new DaemonOptions { PollInterval = TimeSpan.FromMilliseconds(100), LeaseInterval = TimeSpan.FromMilliseconds(100), Log = log.Enqueue });
        await daemon.StartAsync();
        await db.ExecAsync("insert into dcassets.doc_thing_rows (id, data, version) values ('rebuild-1', '{\"id\":\"rebuild-1\",\"tag\":\"A\",\"room\":\"R1\",\"lastPosition\":1}', 1)");

        await progress.RequestRebuildAsync("thing_rows", default);
        await Wait.UntilAsync(async () => await db.ScalarAsync<string>("select state from dcassets.projection_progress where name = 'thing_rows'") == "faulted",
            TimeSpan.FromSeconds(30), "the rebuild failed");
        var status = (await progress.StatusAsync(default)).Single(p => p.Name == "thing_rows");
        status.LastError.Should().StartWith("rebuild failed: ").And.Contain("cannot fold this any more");
        (await db.ScalarAsync<bool>("select rebuild_requested_at is null from dcassets.projection_progress where name = 'thing_rows'")).Should().BeTrue();
        (await db.ScalarAsync<long>("select count(*) from dcassets.doc_thing_rows")).Should().Be(1, "the live model stays as it was");
        (await db.ScalarAsync<long>("select count(*) from pg_tables where tablename like 'doc_thing_rows_%'")).Should().Be(0);

        await Task.Delay(1000);
        log.Count(m => m.Contains("rebuilding thing_rows failed")).Should().Be(1, "a failed rebuild is not retried round after round");
        daemon.Running.Should().Contain("thing_rows");
    }
}
