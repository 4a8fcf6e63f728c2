using Npgsql;

namespace DcAssets.EventStore.Daemon;

public sealed record ProjectionStatus(string Name, string State, long Position, long Head, long EventsBehind, double SecondsBehind,
    int Failures, string? LastError, long? ErrorPosition, string? Owner, long? RebuildPosition, long? RebuildTarget, DateTimeOffset UpdatedAt);

/// <summary>Reads and writes projection_progress: the only memory a runner has across crashes and nodes.</summary>
public sealed class ProgressTable(NpgsqlDataSource db, string schema)
{
    public const string Running = "running", Rebuilding = "rebuilding", Faulted = "faulted";

    public async Task EnsureAsync(string name, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"insert into {schema}.projection_progress (name) values ($1) on conflict do nothing");
        cmd.Parameters.Add(new NpgsqlParameter { Value = name });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<(long Position, string State, bool RebuildRequested)> ReadAsync(string name, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"select last_seq, state, rebuild_requested_at is not null from {schema}.projection_progress where name = $1");
        cmd.Parameters.Add(new NpgsqlParameter { Value = name });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? (r.GetInt64(0), r.GetString(1), r.GetBoolean(2)) : (0, Running, false);
    }

    /// <summary>Moves the position from <paramref name="from"/> to <paramref name="to"/>; false when another runner moved it first.</summary>
    public static async Task<bool> AdvanceAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string schema, string name, long from, long to, string owner, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            $"update {schema}.projection_progress set last_seq = $3, owner = $4, failures = 0, state = 'running', last_error = null, error_position = null, updated_at = now() where name = $1 and last_seq = $2",
            conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter { Value = name });
        cmd.Parameters.Add(new NpgsqlParameter { Value = from });
        cmd.Parameters.Add(new NpgsqlParameter { Value = to });
        cmd.Parameters.Add(new NpgsqlParameter { Value = owner });
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    public Task RecordFailureAsync(string name, int failures, bool faulted, string error, long? position, CancellationToken ct) =>
        ExecAsync($"update {schema}.projection_progress set failures = $2, state = $3, last_error = $4, error_position = $5, updated_at = now() where name = $1", ct,
            name, failures, faulted ? Faulted : Running, error, (object?)position ?? DBNull.Value);

    /// <summary>A rebuild that failed leaves the live model as it was, faults the projection and drops the request (ask again once fixed).</summary>
    public Task RecordRebuildFailureAsync(string name, string error, long? position, CancellationToken ct) =>
        ExecAsync($"update {schema}.projection_progress set state = 'faulted', last_error = $2, error_position = $3, rebuild_requested_at = null, rebuild_seq = null, rebuild_target = null, updated_at = now() where name = $1", ct,
            name, "rebuild failed: " + error, (object?)position ?? DBNull.Value);

    public Task RequestRebuildAsync(string name, CancellationToken ct) =>
        ExecAsync($"update {schema}.projection_progress set rebuild_requested_at = now(), state = case when state = 'faulted' then 'running' else state end, failures = 0 where name = $1", ct, name);

    public Task ResumeAsync(string name, CancellationToken ct) =>
        ExecAsync($"update {schema}.projection_progress set state = 'running', failures = 0, last_error = null, error_position = null, updated_at = now() where name = $1", ct, name);

    public Task ReportRebuildAsync(string name, long position, long target, CancellationToken ct) =>
        ExecAsync($"update {schema}.projection_progress set state = 'rebuilding', rebuild_seq = $2, rebuild_target = $3, updated_at = now() where name = $1", ct, name, position, target);

    public async Task<IReadOnlyList<ProjectionStatus>> StatusAsync(CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            $"""
            select p.name, p.state, p.last_seq, h.head,
                   (select count(*) from (select 1 from {schema}.events e where e.seq > p.last_seq limit 10000000) behind),
                   coalesce(extract(epoch from now() - (select e.recorded_at from {schema}.events e where e.seq > p.last_seq order by e.seq limit 1)), 0)::float8,
                   p.failures, p.last_error, p.error_position, p.owner, p.rebuild_seq, p.rebuild_target, p.updated_at
              from {schema}.projection_progress p, (select coalesce(max(seq), 0) as head from {schema}.events) h
             order by p.name
            """);
        var list = new List<ProjectionStatus>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new ProjectionStatus(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetDouble(5), r.GetInt32(6),
                r.IsDBNull(7) ? null : r.GetString(7), r.IsDBNull(8) ? null : r.GetInt64(8), r.IsDBNull(9) ? null : r.GetString(9),
                r.IsDBNull(10) ? null : r.GetInt64(10), r.IsDBNull(11) ? null : r.GetInt64(11), r.GetFieldValue<DateTimeOffset>(12)));
        return list;
    }

    private async Task ExecAsync(string sql, CancellationToken ct, params object[] args)
    {
        await using var cmd = db.CreateCommand(sql);
        foreach (var a in args) cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
