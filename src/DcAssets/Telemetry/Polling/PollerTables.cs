using Npgsql;

namespace DcAssets.Telemetry.Polling;

/// <summary>
/// Where the pollers ask each other for immediate polls: a plain table beside Marten's, on a data source of its
/// own. It is not history. (Which node polls which device is the messaging layer's business: poll groups.)
/// </summary>
public sealed record PollerTables(NpgsqlDataSource DataSource, string Schema)
{
    public string Requests => $"{Schema}.telemetry_poll_requests";

    /// <summary>Creates the schema and table when missing (idempotent; several nodes may start at once).</summary>
    public async Task EnsureAsync(CancellationToken ct)
    {
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // Serialises nodes creating the same tables at once (create ... if not exists races on the catalog).
        await using (var cmd = new NpgsqlCommand(
            $"""
            select pg_advisory_xact_lock(hashtext('{Schema}.telemetry_tables'));
            create schema if not exists {Schema};
            create table if not exists {Requests} (device text not null, requested_at timestamptz not null,
                primary key (device, requested_at));
            """, conn, tx))
            await cmd.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
    }
}
