using Npgsql;

namespace DcAssets.Assets.Racks;

/// <summary>
/// Decisions that take U positions in a rack are made one at a time per rack, on every node: the caller holds a
/// transaction-scoped PostgreSQL advisory lock on each rack from before it reads the occupants until its append
/// has committed. Without it two moves into the same free U both see it free and both succeed (each asset's own
/// stream version guards only that asset).
/// </summary>
public sealed class RackLock : IAsyncDisposable
{
    private static readonly RackLock None = new(null, null);
    private readonly NpgsqlConnection? _conn;
    private readonly NpgsqlTransaction? _tx;

    private RackLock(NpgsqlConnection? conn, NpgsqlTransaction? tx) => (_conn, _tx) = (conn, tx);

    /// <summary>
    /// Locks the named racks (nulls and duplicates ignored, case-insensitive). A rack's key is hashtext(code), and two
    /// codes may share one (32 bits), so keys are taken in the order of the keys, not of the codes: otherwise holders
    /// of {A, C} and {C, B}, where A and B share a key, would take it in opposite orders and deadlock.
    /// </summary>
    public static async Task<RackLock> TakeAsync(EventStore.EventStore store, IEnumerable<string?> racks, CancellationToken ct)
    {
        var codes = racks.Select(AssetVocabulary.Clean).OfType<string>().Where(AssetVocabulary.IsValidTag)
            .Select(c => c.ToUpperInvariant()).Distinct().ToArray();
        if (codes.Length == 0) return None;
        var conn = await store.DataSource.OpenConnectionAsync(ct);
        try
        {
            var tx = await conn.BeginTransactionAsync(ct);
            // A holder never waits on anything but the database, so a long wait means trouble: give up rather than hang.
            await using (var timeout = new NpgsqlCommand("set local lock_timeout = '30s'", conn, tx)) await timeout.ExecuteNonQueryAsync(ct);
            var keys = new List<(int Key, string Racks)>();
            await using (var order = new NpgsqlCommand(
                "select hashtext(c), string_agg(c, ', ' order by c) from unnest(@racks) c group by 1 order by 1", conn, tx))
            {
                order.Parameters.AddWithValue("racks", codes);
                await using var r = await order.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct)) keys.Add((r.GetInt32(0), r.GetString(1)));
            }
            foreach (var (key, named) in keys)
            {
                // The server's lock_timeout decides; Npgsql's default command timeout is also 30 s and would race it.
                await using var cmd = new NpgsqlCommand("select pg_advisory_xact_lock(hashtext(@space), @key)", conn, tx) { CommandTimeout = 60 };
                cmd.Parameters.AddWithValue("space", "dcassets-rack:" + store.Schema);
                cmd.Parameters.AddWithValue("key", key);
                try { await cmd.ExecuteNonQueryAsync(ct); }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
                {
                    throw CommandRejected.Field("rack", AssetRefusals.RackBusy(named), RejectionKind.Conflict);
                }
            }
            return new RackLock(conn, tx);
        }
        catch
        {
            await conn.DisposeAsync();
            throw;
        }
    }

    /// <summary>Where a lock that could not be ended cleanly is told (standard error unless the host routes it to its log).</summary>
    public static Action<string> Log { get; set; } = message => Console.Error.WriteLine("warning: " + message);

    /// <summary>
    /// Ends the holding transaction, which releases the locks. When that fails the connection is gone, and with it
    /// the locks: the change made under them has been saved already, so the failure is logged, not thrown.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_conn is null) return;
        try { await _tx!.CommitAsync(); }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            Log($"rack lock not released cleanly (its connection dropped, which released it): {e.Message}");
        }
        finally { await _conn.DisposeAsync(); }
    }
}
