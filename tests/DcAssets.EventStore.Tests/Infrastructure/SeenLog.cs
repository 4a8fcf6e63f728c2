using DcAssets.EventStore.Daemon;
using DcAssets.EventStore.Projections;
using Npgsql;

namespace DcAssets.EventStore.Tests.Infrastructure;

/// <summary>
/// An async consumer that records every position it is given, in arrival order. The primary key
/// makes a duplicate delivery fail the batch, so "exactly once" is checked by the database itself.
/// </summary>
/// <param name="afterInsert">Runs inside the batch's transaction, after its rows went in and before it commits (given the batch's number).</param>
public sealed class SeenLog(string name, TimeSpan? applyDelay = null, Func<int, Task>? afterInsert = null) : IFeedConsumer
{
    private int _batches;

    public string Name => name;
    public DocumentTable? Table => null;
    public bool WantsData(string typeName) => false;
    public string LogTable => $"seen_{name}";

    public static async Task CreateAsync(EventStore store, string name)
    {
        await using var cmd = store.DataSource.CreateCommand(
            $"create table if not exists seen_{name} (seq bigint primary key, arrival bigint generated always as identity)");
        await cmd.ExecuteNonQueryAsync();
    }

    public async Task ApplyAsync(IReadOnlyList<FeedEvent> page, NpgsqlConnection conn, NpgsqlTransaction tx, string? table, CancellationToken ct)
    {
        if (page.Count == 0) return;
        await using (var cmd = new NpgsqlCommand($"insert into seen_{name} (seq) select unnest($1::bigint[])", conn, tx))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = page.Select(e => e.Position).ToArray() });
            await cmd.ExecuteNonQueryAsync(ct);
        }
        if (afterInsert is not null) await afterInsert(Interlocked.Increment(ref _batches));
        if (applyDelay is { } d) await Task.Delay(d, ct);
    }
}

public static class Wait
{
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out after {timeout.TotalSeconds:0}s waiting until {what}");
            await Task.Delay(50);
        }
    }

    public static Task UntilCaughtUpAsync(TestDatabase db, string consumer, TimeSpan timeout) =>
        UntilAsync(async () => await db.ScalarAsync<bool>(
            $"select coalesce((select last_seq from dcassets.projection_progress where name = '{consumer}'), -1) >= (select coalesce(max(seq), 0) from dcassets.events)"),
            timeout, $"{consumer} caught up");
}
