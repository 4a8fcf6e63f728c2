using Npgsql;

namespace DcAssets.Telemetry.Polling;

/// <summary>
/// Where the pollers coordinate (node heartbeats, device leases, immediate poll requests): plain tables beside
/// Marten's, on a data source of their own. They are not history; a later change hands this work to the
/// messaging layer's agents.
/// </summary>
public sealed record PollerTables(NpgsqlDataSource DataSource, string Schema)
{
    public string Nodes => $"{Schema}.telemetry_nodes";
    public string Leases => $"{Schema}.telemetry_leases";
    public string Requests => $"{Schema}.telemetry_poll_requests";

    /// <summary>Creates the schema and tables when missing (idempotent; several nodes may start at once).</summary>
    public async Task EnsureAsync(CancellationToken ct)
    {
        await using var conn = await DataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // Serialises nodes creating the same tables at once (create ... if not exists races on the catalog).
        await using (var cmd = new NpgsqlCommand(
            $"""
            select pg_advisory_xact_lock(hashtext('{Schema}.telemetry_tables'));
            create schema if not exists {Schema};
            create table if not exists {Nodes} (node text primary key, seen_at timestamptz not null);
            create table if not exists {Leases} (device text primary key, node text not null,
                expires_at timestamptz not null);
            create table if not exists {Requests} (device text not null, requested_at timestamptz not null,
                primary key (device, requested_at));
            """, conn, tx))
            await cmd.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
    }
}
