using DcAssets.EventStore.Daemon;
using DcAssets.EventStore.Tests.Infrastructure;

namespace DcAssets.EventStore.Tests.Daemon;

/// <summary>Most pages a projection reads hold events it does not handle (a rollup among logins and asset changes).</summary>
public sealed class IgnoredPagesTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Pages_holding_none_of_a_projections_events_pass_without_a_fault()
    {
        var options = TestStores.Options(db.ConnectionString);
        options.AsyncProjections.Add(new StreamTallies());
        await using var store = await EventStore.CreateAsync(options);
        // Many events the tallies ignore first, so whole pages hold nothing for it; then some it counts.
        await using (var s = store.OpenSession(TestStores.Engineer))
        {
            for (var i = 0; i < 30; i++) s.Events.Append($"ignored-{i}", new ThingMoved("R", i));
            await s.SaveChangesAsync();
        }
        await using (var s = store.OpenSession(TestStores.Engineer))
        {
            s.Events.Append("tally-ignored-pages", new Counted(1, 1), new Counted(1, 2));
            await s.SaveChangesAsync();
        }
        await using var daemon = new ProjectionDaemon(store, ProjectionDaemon.DefaultConsumers(store),
            new DaemonOptions { BatchSize = 10, PollInterval = TimeSpan.FromMilliseconds(100), LeaseInterval = TimeSpan.FromMilliseconds(100), MaxFailures = 1 });
        await daemon.StartAsync();
        await Wait.UntilCaughtUpAsync(db, "stream_tallies", TimeSpan.FromSeconds(30));
        (await db.ScalarAsync<string>("select state from dcassets.projection_progress where name = 'stream_tallies'")).Should().Be("running");
        (await store.QuerySession().LoadAsync<StreamTally>("tally-ignored-pages"))!.Events.Should().Be(2);
    }
}
