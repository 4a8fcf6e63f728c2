using Npgsql;

namespace DcAssets.EventStore.Daemon;

/// <summary>
/// One consumer's lease held outside the daemon (by the CLI for an offline rebuild): the same
/// advisory lock the daemon takes, on a dedicated connection released on dispose.
/// </summary>
public sealed class ProjectionLease : IAsyncDisposable
{
    private readonly NpgsqlConnection _conn;

    private ProjectionLease(NpgsqlConnection conn) => _conn = conn;

    /// <summary>The lease, or null when a node holds it right now.</summary>
    public static async Task<ProjectionLease?> TryAcquireAsync(EventStore store, string name, CancellationToken ct)
    {
        var conn = new NpgsqlConnection(store.DedicatedConnectionString);
        await conn.OpenAsync(ct);
        var (a, b) = ProjectionDaemon.LockKey(store.Schema, name);
        await using var take = new NpgsqlCommand("select pg_try_advisory_lock($1, $2)", conn);
        take.Parameters.Add(new NpgsqlParameter { Value = a });
        take.Parameters.Add(new NpgsqlParameter { Value = b });
        if ((bool)(await take.ExecuteScalarAsync(ct))!) return new ProjectionLease(conn);
        await conn.DisposeAsync();
        return null;
    }

    public ValueTask DisposeAsync() => _conn.DisposeAsync(); // closing the session releases the lock
}
