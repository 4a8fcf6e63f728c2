using System.Collections.Concurrent;
using DcAssets.EventStore.Daemon;
using DcAssets.EventStore.Tests.Infrastructure;

namespace DcAssets.EventStore.Tests.Daemon;

public sealed class OrderingTortureTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    /// <summary>What a long-held save saw just before committing, with its positions taken and not yet visible.</summary>
    private sealed class Hold
    {
        public bool Long;
        public long VisibleMax, Delivered;
    }

    private static readonly AsyncLocal<Hold?> CurrentHold = new();

    [Fact]
    public async Task Every_committed_event_is_seen_exactly_once_in_store_order_and_nothing_rolled_back()
    {
        // Two stores on one database: saves through the hooked one are held open and some rolled back;
        // saves through the plain one take the production paths untouched (single statement, no hook).
        await using var hooked = await TestStores.OpenAsync(db.ConnectionString);
        await using var plain = await TestStores.OpenAsync(db.ConnectionString);
        await SeenLog.CreateAsync(hooked, "torture");
        var random = new Random(20261121);
        var rolledBack = 0;
        hooked.Options.BeforeCommit = async ct =>
        {
            int delay, roll, longHold;
            lock (random) (delay, roll, longHold) = (random.Next(0, 4), random.Next(100), random.Next(0, 1000) < 15 ? random.Next(50, 501) : 0);
            if (longHold > 0 && CurrentHold.Value is { } hold)
            {
                // Now and then a long hold, so the daemon meets a gap that stays open while later positions commit.
                await Task.Delay(longHold, ct);
                await using var look = hooked.DataSource.CreateCommand(
                    "select coalesce(max(seq), 0), coalesce((select last_seq from dcassets.projection_progress where name = 'torture'), 0) from dcassets.events");
                await using var r = await look.ExecuteReaderAsync(ct);
                await r.ReadAsync(ct);
                (hold.Long, hold.VisibleMax, hold.Delivered) = (true, r.GetInt64(0), r.GetInt64(1));
            }
            else if (delay > 0) await Task.Delay(delay, ct);
            if (roll < 8) { Interlocked.Increment(ref rolledBack); throw new InvalidOperationException("forced rollback"); }
        };

        await using var daemon = new ProjectionDaemon(hooked, [new SeenLog("torture")],
            new DaemonOptions { BatchSize = 300, PollInterval = TimeSpan.FromMilliseconds(200), LeaseInterval = TimeSpan.FromMilliseconds(200) });
        await daemon.StartAsync();

        long committed = 0, unhooked = 0;
        var holds = new ConcurrentBag<(long Position, long VisibleMax, long Delivered)>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var rng = new Random(w);
            var written = 0;
            while (written < 10_000)
            {
                var production = rng.Next(10) < 3;
                await using var s = (production ? plain : hooked).OpenSession(TestStores.Engineer);
                // Mostly small saves, now and then a bulk one that takes the COPY path.
                var n = rng.Next(10) == 0 ? 100 + rng.Next(60) : 1 + rng.Next(30);
                for (var i = 0; i < n; i++) s.Events.Append($"torture-{w}-{rng.Next(6)}", new Counted(w, written + i));
                var hold = CurrentHold.Value = new Hold();
                try
                {
                    var result = await s.SaveChangesAsync();
                    written += n;
                    Interlocked.Add(ref committed, n);
                    if (production) Interlocked.Add(ref unhooked, n);
                    if (hold.Long) holds.Add((result.Events.Min(e => e.Position), hold.VisibleMax, hold.Delivered));
                }
                catch (InvalidOperationException) { /* rolled back: its positions are burnt */ }
            }
        })));
        hooked.Options.BeforeCommit = null;

        await Wait.UntilCaughtUpAsync(db, "torture", TimeSpan.FromMinutes(3));
        (await db.ScalarAsync<long>("select count(*) from dcassets.events")).Should().Be(committed);
        (await db.ScalarAsync<long>("select count(*) from seen_torture")).Should().Be(committed, "every committed event seen, nothing rolled back, nothing twice");
        (await db.ScalarAsync<long>("select count(*) from dcassets.events e left join seen_torture s using (seq) where s.seq is null")).Should().Be(0);
        (await db.ScalarAsync<long>("select count(*) from (select seq < lag(seq) over (order by arrival) as backwards from seen_torture) x where backwards"))
            .Should().Be(0, "events arrive in position order");
        rolledBack.Should().BeGreaterThan(0);
        unhooked.Should().BeGreaterThan(10_000, "a share of the saves took the production path");
        (await db.ScalarAsync<long>("select max(seq) from dcassets.events")).Should().BeGreaterThan(committed, "rollbacks burnt positions the daemon had to prove and skip");

        holds.Should().NotBeEmpty();
        holds.Should().OnlyContain(h => h.Delivered < h.Position, "the daemon never passed a position whose transaction was still open");
        holds.Should().Contain(h => h.VisibleMax > h.Position,
            "at least once a higher position committed while a lower one was held, and the lower one still arrived first: the daemon waited instead of skipping");
    }
}
