using DcAssets.EventStore.Daemon;
using DcAssets.EventStore.Tests.Infrastructure;
using Npgsql;

namespace DcAssets.EventStore.Tests.Daemon;

public sealed class FeedGapTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    /// <summary>
    /// A takes its transaction id first, B second; B takes the lower position, A the higher one and
    /// commits. The snapshot's xmax is then one past A, which is B's own id: a proof that waited only
    /// for xmin to reach xmax would call B's position burnt while B is still running, and lose it.
    /// </summary>
    [Fact]
    public async Task A_position_held_by_a_younger_running_transaction_is_waited_for_not_skipped()
    {
        await using var store = await TestStores.OpenAsync(db.ConnectionString);
        await using (var s = store.OpenSession(TestStores.Engineer))
        {
            s.Events.Append("gap-0", new ThingMoved("R", 0));
            await s.SaveChangesAsync();
        }
        var head = await db.ScalarAsync<long>("select max(seq) from dcassets.events");

        await using var a = await OpenInTransactionAsync();
        await using var b = await OpenInTransactionAsync();
        var lower = await InsertAsync(b, "gap-b");
        var higher = await InsertAsync(a, "gap-a");
        higher.Should().BeGreaterThan(lower);
        await using (var commit = new NpgsqlCommand("commit", a)) await commit.ExecuteNonQueryAsync();

        var feed = new EventFeed(store.DataSource, store.Schema);
        var seen = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            var page = await feed.ReadAsync(head, 100, _ => false, false, default);
            page.Events.Should().BeEmpty("position {0} is held by a transaction still running", lower);
            page.Position.Should().Be(head);
        }

        await using (var commit = new NpgsqlCommand("commit", b)) await commit.ExecuteNonQueryAsync();
        var after = await feed.ReadAsync(head, 100, _ => false, false, default);
        after.Events.Select(e => e.Position).Should().Equal(lower, higher);
    }

    private async Task<NpgsqlConnection> OpenInTransactionAsync()
    {
        var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db.ConnectionString) { Pooling = false }.ConnectionString);
        await conn.OpenAsync();
        // The transaction id is taken now, before any position, as every append path does.
        await using var begin = new NpgsqlCommand("begin; select pg_current_xact_id();", conn);
        await begin.ExecuteNonQueryAsync();
        return conn;
    }

    private static async Task<long> InsertAsync(NpgsqlConnection conn, string stream)
    {
        await using var insert = new NpgsqlCommand(
            "insert into dcassets.events (stream_id, version, type, data, metadata, recorded_at, hash) " +
            "values ($1, 1, 'thing_moved', '{}', '{}', now(), '\\x00') returning seq", conn);
        insert.Parameters.Add(new NpgsqlParameter { Value = stream });
        return (long)(await insert.ExecuteScalarAsync())!;
    }
}
