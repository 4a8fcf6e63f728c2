using Npgsql;

namespace DcAssets.Projections;

/// <summary>
/// Rebuilds and resumes asked of whichever node runs the async projections (Marten's daemon runs them on one
/// node at a time), through a plain table: the CLI and the API write a request, the running node claims it, does
/// it with its daemon and marks it finished (or failed, with the error). Nodes heartbeat which projections their
/// daemon runs, so the CLI knows whether to ask a node or to do the work itself, and which of them it has paused
/// on a failing event: Marten keeps that in the daemon's memory, and operators must see it wherever they look.
/// </summary>
public sealed class ProjectionRequests
{
    /// <summary>A node not seen for this long runs nothing any more.</summary>
    public static readonly TimeSpan NodeSilence = TimeSpan.FromSeconds(5);

    private readonly NpgsqlDataSource _db;
    private readonly string _schema;

    private ProjectionRequests(NpgsqlDataSource db, string schema) => (_db, _schema) = (db, schema);

    public string Table => $"{_schema}.projection_requests";
    private string Nodes => $"{_schema}.projection_nodes";

    public static async Task<ProjectionRequests> EnsureAsync(NpgsqlDataSource db, string schema, CancellationToken ct)
    {
        var requests = new ProjectionRequests(db, schema);
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var cmd = new NpgsqlCommand($"""
            select pg_advisory_xact_lock(hashtext('{schema}.projection_requests'));
            create schema if not exists {schema};
            create table if not exists {requests.Table} (name text not null, kind text not null,
                requested_at timestamptz not null, node text, target bigint, finished_at timestamptz, error text,
                primary key (name, kind));
            create table if not exists {requests.Nodes} (node text primary key, seen_at timestamptz not null,
                running text[] not null, faults jsonb not null default jsonb_build_object());
            """, conn, tx))
            await cmd.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
        return requests;
    }

    /// <summary>Asks for a rebuild or a resume (kind); a request of the same kind still standing is replaced.</summary>
    public Task RequestAsync(string name, string kind, CancellationToken ct) => ExecAsync(
        $"""
        insert into {Table} (name, kind, requested_at) values (@name, @kind, now())
        on conflict (name, kind) do update set requested_at = now(), node = null, target = null, finished_at = null,
            error = null
        """, ct, ("name", name), ("kind", kind));

    /// <summary>The node running the projection now, if one heartbeat lately.</summary>
    public async Task<string?> RunningNodeAsync(string name, CancellationToken ct)
    {
        await using var cmd = _db.CreateCommand(
            $"""
            select node from {Nodes}
             where @name = any(running) and seen_at > now() - make_interval(secs => @silence) limit 1
            """);
        cmd.Parameters.AddWithValue("name", name);
        cmd.Parameters.AddWithValue("silence", NodeSilence.TotalSeconds);
        return await cmd.ExecuteScalarAsync(ct) as string;
    }

    /// <summary>A node says it is alive, which projections its daemon runs and which it has paused, and why.</summary>
    public Task HeartbeatAsync(string node, IReadOnlyCollection<string> running,
        IReadOnlyDictionary<string, ProjectionFault> faults, CancellationToken ct) => ExecAsync(
        $"""
        insert into {Nodes} (node, seen_at, running, faults) values (@node, now(), @running, @faults::jsonb)
        on conflict (node) do update set seen_at = now(), running = excluded.running, faults = excluded.faults
        """, ct, ("node", node), ("running", running.ToArray()),
        ("faults", System.Text.Json.JsonSerializer.Serialize(faults)));

    /// <summary>The faults live nodes report, by projection.</summary>
    public string FaultsOfLiveNodes =>
        $"""
        select f.key as name, f.value->>'Error' as error, (f.value->>'Sequence')::bigint as sequence
          from {Nodes} n, jsonb_each(n.faults) f
         where n.seen_at > now() - make_interval(secs => {(int)NodeSilence.TotalSeconds})
        """;

    public Task LeaveAsync(string node, CancellationToken ct) =>
        ExecAsync($"delete from {Nodes} where node = @node", ct, ("node", node));

    /// <summary>Takes the open requests for the given projections (each goes to one node).</summary>
    public async Task<IReadOnlyList<(string Name, string Kind)>> ClaimAsync(string node,
        IReadOnlyCollection<string> running, CancellationToken ct)
    {
        await using var cmd = _db.CreateCommand(
            $"""
            update {Table} set node = @node where node is null and finished_at is null and name = any(@running)
            returning name, kind
            """);
        cmd.Parameters.AddWithValue("node", node);
        cmd.Parameters.AddWithValue("running", running.ToArray());
        var list = new List<(string, string)>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add((r.GetString(0), r.GetString(1)));
        return list;
    }

    public Task StartedAsync(string name, string kind, long target, CancellationToken ct) => ExecAsync(
        $"update {Table} set target = @target where name = @name and kind = @kind", ct,
        ("name", name), ("kind", kind), ("target", target));

    public Task FinishedAsync(string name, string kind, string? error, CancellationToken ct) => ExecAsync(
        $"update {Table} set finished_at = now(), error = @error where name = @name and kind = @kind", ct,
        ("name", name), ("kind", kind), ("error", (object?)error ?? DBNull.Value));

    /// <summary>Where a request stands: finished or not, the error it failed with, the head it runs up to.</summary>
    public async Task<(bool Finished, string? Error, long? Target)> ReadAsync(string name, string kind,
        CancellationToken ct)
    {
        await using var cmd = _db.CreateCommand(
            $"select finished_at is not null, error, target from {Table} where name = @name and kind = @kind");
        cmd.Parameters.AddWithValue("name", name);
        cmd.Parameters.AddWithValue("kind", kind);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return (false, null, null);
        return (r.GetBoolean(0), r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetInt64(2));
    }

    private async Task ExecAsync(string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var cmd = _db.CreateCommand(sql);
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>Why a node's daemon paused a projection: the failure and the event it failed on.</summary>
public sealed record ProjectionFault(string Error, long? Sequence);
