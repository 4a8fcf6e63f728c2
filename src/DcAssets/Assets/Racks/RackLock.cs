using Marten;
using Npgsql;

namespace DcAssets.Assets.Racks;

/// <summary>
/// Decisions that take U positions in a rack are made one at a time per rack, on every node: the deciding session
/// holds a transaction-scoped PostgreSQL advisory lock on each rack from before it reads the occupants until its
/// append commits (the lock is taken in the session's own transaction, so committing releases it). Without it two
/// moves into the same free U both see it free and both succeed (each asset's own stream version guards only that
/// asset).
/// </summary>
public static class RackLock
{
    /// <summary>
    /// Starts the session's transaction and locks the named racks in it (nulls and duplicates ignored,
    /// case-insensitive). A rack's key is hashtext(code), and two codes may share one (32 bits), so keys are taken in
    /// the order of the keys, not of the codes: otherwise holders of {A, C} and {C, B}, where A and B share a key,
    /// would take it in opposite orders and deadlock.
    /// </summary>
    public static async Task TakeAsync(IDocumentSession session, IEnumerable<string?> racks, CancellationToken ct)
    {
        var codes = racks.Select(AssetVocabulary.Clean).OfType<string>().Where(AssetVocabulary.IsValidTag)
            .Select(c => c.ToUpperInvariant()).Distinct().ToArray();
        if (codes.Length == 0) return;
        await session.BeginTransactionAsync(ct);
        var conn = session.Connection!;
        // A holder never waits on anything but the database, so a long wait means trouble: give up rather than hang.
        await using (var timeout = new NpgsqlCommand("set local lock_timeout = '30s'", conn))
            await timeout.ExecuteNonQueryAsync(ct);
        var keys = new List<(int Key, string Racks)>();
        await using (var order = new NpgsqlCommand(
            "select hashtext(c), string_agg(c, ', ' order by c) from unnest(@racks) c group by 1 order by 1", conn))
        {
            order.Parameters.AddWithValue("racks", codes);
            await using var r = await order.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) keys.Add((r.GetInt32(0), r.GetString(1)));
        }
        foreach (var (key, named) in keys)
        {
            // The server's lock_timeout decides; Npgsql's default command timeout is also 30 s and would race it.
            await using var cmd = new NpgsqlCommand("select pg_advisory_xact_lock(hashtext(@space), @key)", conn)
                { CommandTimeout = 60 };
            cmd.Parameters.AddWithValue("space", "dcassets-rack:" + session.DocumentStore.Options.DatabaseSchemaName);
            cmd.Parameters.AddWithValue("key", key);
            try { await cmd.ExecuteNonQueryAsync(ct); }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
            {
                throw CommandRejected.Field("rack", AssetRefusals.RackBusy(named), RejectionKind.Conflict);
            }
        }
    }
}
