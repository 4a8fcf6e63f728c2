using DcAssets.EventStore.Daemon;
using DcAssets.EventStore.Tests.Infrastructure;

namespace DcAssets.EventStore.Tests.Daemon;

public sealed class OrderingTortureTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Every_committed_event_is_seen_exactly_once_in_store_order_and_nothing_rolled_back()
    {
        await using var store = await TestStores.OpenAsync(db.ConnectionString);
        await SeenLog.CreateAsync(store, "torture");
        var random = new Random(20261121);
        var rolledBack = 0;
        // Hold transactions open between taking positions and committing, and roll some back.
        store.Options.BeforeCommit = async ct =>
        {
            int delay, roll;
            lock (random) (delay, roll) = (random.Next(0, 4), random.Next(100));
            if (delay > 0) await Task.Delay(delay, ct);
            if (roll < 8) { Interlocked.Increment(ref rolledBack); throw new InvalidOperationException("forced rollback"); }
        };

        await using var daemon = new ProjectionDaemon(store, [new SeenLog("torture")],
            new DaemonOptions { BatchSize = 300, PollInterval = TimeSpan.FromMilliseconds(200), LeaseInterval = TimeSpan.FromMilliseconds(200) });
        await daemon.StartAsync();

        var committed = 0L;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var rng = new Random(w);
            var written = 0;
            while (written < 10_000)
            {
                await using var s = store.OpenSession(TestStores.Engineer);
                // Mostly small saves, now and then a bulk one that takes the COPY path.
                var n = rng.Next(10) == 0 ? 100 + rng.Next(60) : 1 + rng.Next(30);
                for (var i = 0; i < n; i++) s.Events.Append($"torture-{w}-{rng.Next(6)}", new Counted(w, written + i));
                try
                {
                    await s.SaveChangesAsync();
                    written += n;
                    Interlocked.Add(ref committed, n);
                }
                catch (InvalidOperationException) { /* rolled back: its positions are burnt */ }
            }
        })));
        store.Options.BeforeCommit = null;

        await Wait.UntilCaughtUpAsync(db, "torture", TimeSpan.FromMinutes(3));
        (await db.ScalarAsync<long>("select count(*) from dcassets.events")).Should().Be(committed);
        (await db.ScalarAsync<long>("select count(*) from seen_torture")).Should().Be(committed, "every committed event seen, nothing rolled back, nothing twice");
        (await db.ScalarAsync<long>("select count(*) from dcassets.events e left join seen_torture s using (seq) where s.seq is null")).Should().Be(0);
        (await db.ScalarAsync<long>("select count(*) from (select seq < lag(seq) over (order by arrival) as backwards from seen_torture) x where backwards"))
            .Should().Be(0, "events arrive in position order");
        rolledBack.Should().BeGreaterThan(0);
        (await db.ScalarAsync<long>("select max(seq) from dcassets.events")).Should().BeGreaterThan(committed, "rollbacks burnt positions the daemon had to prove and skip");
    }
}
