using System.Collections.Concurrent;
using DcAssets.Integrity.Tests.Infrastructure;
using DcAssets.Testing;
using Marten;
using Npgsql;

namespace DcAssets.Integrity.Tests;

/// <summary>
/// Writers share streams (so some saves collide and fail), some saves are rolled back on purpose, and one
/// transaction keeps reserving sequence numbers it never uses, while the daemon, the sealer and the verifier run.
/// </summary>
public sealed class ConcurrentAppendTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private const int Writers = 6, SavesPerWriter = 40;

    [Fact]
    public async Task Sealing_while_writers_append_and_roll_back_leaves_a_history_that_verifies_intact()
    {
        await using var store = await TestStores.CreateAsync(db);
        var sealer = new Sealer(store, TestStores.Key);
        var verifier = new HistoryVerifier(store, TestStores.Key);
        var duringAppends = new ConcurrentBag<VerifyResult>();
        using var daemon = await store.BuildProjectionDaemonAsync();
        await daemon.StartAllAsync();

        using var stop = new CancellationTokenSource();
        var background = Task.WhenAll(
            RepeatAsync(() => sealer.SealAsync(), stop.Token),
            RepeatAsync(async () => duringAppends.Add(await verifier.VerifyAsync()), stop.Token),
            RepeatAsync(() => ReserveAndRollBackAsync(db), stop.Token));
        var rolledBack = await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => WriteAsync(store, w)));
        stop.Cancel();
        await background;

        await HighWater.CatchUpAsync(store, db);
        await daemon.StopAllAsync();
        await sealer.SealAsync();

        rolledBack.Sum().Should().BeGreaterThan(0, "the test must have rolled saves back");
        (await db.ScalarAsync<long>("select count(*) from mt_integrity_seals")).Should().BeGreaterThan(1);
        duringAppends.Should().NotBeEmpty().And.OnlyContain(r => r.Intact, "a verify during appends sees one snapshot");
        var final = await verifier.VerifyAsync();
        final.Problems.Should().BeEmpty();
        final.EventsChecked.Should().Be(await db.ScalarAsync<long>("select count(*) from mt_events"));
        (await db.ScalarAsync<long>("select max(up_to_seq) from mt_integrity_seals"))
            .Should().Be(await db.ScalarAsync<long>("select max(seq_id) from mt_events"), "everything is sealed");
    }

    // Every fifth save fails after its events were inserted, burning their sequence numbers; saves to the
    // same stream from two writers collide on the stream's version and fail too.
    private static async Task<int> WriteAsync(IDocumentStore store, int writer)
    {
        var failed = 0;
        for (var i = 0; i < SavesPerWriter; i++)
        {
            await using var s = TestStores.Session(store, $"u-{writer}");
            s.Events.Append($"shared-{i % 4}", new ThingMoved($"R{writer}", i));
            s.Events.Append($"own-{writer}", new ThingNamed($"n{i}"));
            if (i % 5 == 4) s.QueueSqlCommand("select 1 / 0");
            try
            {
                await s.SaveChangesAsync();
            }
            catch (Exception)
            {
                failed++;
            }
        }
        return failed;
    }

    // What a rich-mode save does before it fails: take sequence numbers inside a transaction, then give up.
    private static async Task ReserveAndRollBackAsync(TestDatabase db)
    {
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using (var cmd = new NpgsqlCommand("select nextval('mt_events_sequence')", conn, tx))
            await cmd.ExecuteScalarAsync();
        await Task.Delay(150);
        await tx.RollbackAsync();
    }

    private static async Task RepeatAsync(Func<Task> action, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            await action();
            await Task.Delay(50, CancellationToken.None);
        }
    }
}
