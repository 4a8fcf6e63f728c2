using JasperFx.Events.Daemon;
using Marten;
using Npgsql;

namespace DcAssets.Projections;

/// <summary>Rebuilding and resuming an async projection with a Marten daemon: on its node, or in the CLI.</summary>
public static class ProjectionWork
{
    public const string Rebuild = "rebuild", Resume = "resume";

    /// <summary>The longest a rebuild may take before it is given up (it replays every event of its types).</summary>
    public static readonly TimeSpan RebuildTimeout = TimeSpan.FromHours(6);

    /// <summary>
    /// Replays the projection from the first event with <paramref name="daemon"/> (Marten stops its agent, clears
    /// its documents and progress, replays, and starts it again), reporting the shard's position against the head
    /// the rebuild started at; returns the position reached.
    /// </summary>
    public static async Task<long> RebuildAsync(IDocumentStore store, NpgsqlDataSource db, IProjectionDaemon daemon,
        string name, IProgress<(long Position, long Target)>? progress, Func<long, Task>? started, CancellationToken ct)
    {
        var target = await HeadAsync(store, db, ct);
        if (started is not null) await started(target);
        var rebuild = daemon.RebuildProjectionAsync(name, RebuildTimeout, ct);
        while (!rebuild.IsCompleted)
        {
            progress?.Report((Math.Min(await PositionAsync(store, db, name, ct), target), target));
            await Task.WhenAny(rebuild, Task.Delay(TimeSpan.FromMilliseconds(200), ct));
        }
        await rebuild;
        var position = await PositionAsync(store, db, name, ct);
        progress?.Report((Math.Max(position, target), Math.Max(position, target)));
        return position;
    }

    /// <summary>
    /// One turn of a node's part in the requests: says which projections <paramref name="daemon"/> runs and does the
    /// rebuilds and resumes asked for them, marking each finished or failed. Returns the requests done.
    /// </summary>
    public static async Task<int> ServeAsync(ProjectionRequests requests, string node, IDocumentStore store,
        NpgsqlDataSource db, IProjectionDaemon daemon, CancellationToken ct)
    {
        var agents = daemon.CurrentAgents();
        var running = agents.Select(a => a.Name.Name).Distinct().ToList();
        var faults = agents.Where(a => a.Status == JasperFx.AgentStatus.Paused).GroupBy(a => a.Name.Name)
            .ToDictionary(g => g.Key, g => g.First().Failure is { } f
                ? new ProjectionFault(f.ToString(), f.Event?.Sequence) : new ProjectionFault("paused", null));
        await requests.HeartbeatAsync(node, running, faults, ct);
        var claimed = await requests.ClaimAsync(node, running, ct);
        foreach (var (name, kind) in claimed)
        {
            try
            {
                if (kind == Rebuild)
                    await RebuildAsync(store, db, daemon, name, null,
                        target => requests.StartedAsync(name, kind, target, ct), ct);
                else
                {
                    await daemon.StopAgentAsync(ProjectionBoard.Shard(name));
                    await ClearFaultAsync(store, db, name, ct);
                    await daemon.StartAgentAsync(ProjectionBoard.Shard(name), ct);
                }
                await requests.FinishedAsync(name, kind, null, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The live documents stay as they were; the error is the requester's answer.
                await requests.FinishedAsync(name, kind, $"{kind} failed: {e.Message}", ct);
            }
        }
        return claimed.Count;
    }

    /// <summary>Clears a paused shard's fault so the daemon that next starts it runs it again.</summary>
    public static async Task ClearFaultAsync(IDocumentStore store, NpgsqlDataSource db, string name,
        CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            $"""
            update {store.Options.Events.DatabaseSchemaName}.mt_event_progression
               set pause_reason = null, agent_status = null, failure_category = null, failure_event_sequence = null,
                   failure_event_type = null
             where name = @shard
            """);
        cmd.Parameters.AddWithValue("shard", ProjectionBoard.Shard(name));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public static async Task<long> HeadAsync(IDocumentStore store, NpgsqlDataSource db, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            $"select coalesce(max(seq_id), 0) from {store.Options.Events.DatabaseSchemaName}.mt_events");
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public static async Task<long> PositionAsync(IDocumentStore store, NpgsqlDataSource db, string name,
        CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(
            $"""
            select last_seq_id from {store.Options.Events.DatabaseSchemaName}.mt_event_progression where name = @shard
            """);
        cmd.Parameters.AddWithValue("shard", ProjectionBoard.Shard(name));
        return await cmd.ExecuteScalarAsync(ct) is long p ? p : 0;
    }
}
