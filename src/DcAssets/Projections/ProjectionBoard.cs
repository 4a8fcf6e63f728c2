using JasperFx.Events.Projections;
using Marten;
using Npgsql;

namespace DcAssets.Projections;

/// <summary>One async projection as operators see it: how far Marten's daemon has got, whether it is stuck.</summary>
public sealed record AsyncProjectionStatus(string Name, string State, long Position, long Head, long EventsBehind,
    double SecondsBehind, string? Owner, string? LastError, long? ErrorPosition, long? RebuildTarget);

/// <summary>
/// The async projections Marten's daemon runs, read from its progression table (mt_event_progression, one row
/// per shard: NAME:All) beside the head of mt_events, and the open requests of <see cref="ProjectionRequests"/>.
/// </summary>
public static class ProjectionBoard
{
    public const string Running = "running", Rebuilding = "rebuilding", Faulted = "faulted", NotStarted = "not started";

    /// <summary>The names of the async projections registered with the store, in order.</summary>
    public static IReadOnlyList<string> Names(IDocumentStore store) =>
        ((StoreOptions)store.Options).Projections.All.Where(p => p.Lifecycle == ProjectionLifecycle.Async)
            .Select(p => p.Name).Order(StringComparer.Ordinal).ToList();

    /// <summary>The shard Marten keeps a projection's progress under (each projection here has one shard).</summary>
    public static string Shard(string name) => name + ":All";

    public static async Task<IReadOnlyList<AsyncProjectionStatus>> StatusAsync(IDocumentStore store,
        NpgsqlDataSource db, CancellationToken ct)
    {
        var events = store.Options.Events.DatabaseSchemaName;
        var requests = await ProjectionRequests.EnsureAsync(db, store.Options.DatabaseSchemaName, ct);
        await using var cmd = db.CreateCommand($"""
            select n.name, p.last_seq_id, p.pause_reason, p.agent_status, p.running_on_node,
                   p.failure_event_sequence, h.head,
                   extract(epoch from now() - (select e.timestamp from {events}.mt_events e
                                                where e.seq_id > p.last_seq_id order by e.seq_id limit 1)),
                   r.target, r.node, f.error, f.sequence
              from unnest(@names) as n(name)
              cross join (select coalesce(max(seq_id), 0) as head from {events}.mt_events) h
              left join {events}.mt_event_progression p on p.name = n.name || ':All'
              left join {requests.Table} r on r.name = n.name and r.kind = 'rebuild' and r.finished_at is null
              left join ({requests.FaultsOfLiveNodes}) f on f.name = n.name
             order by n.name
            """);
        cmd.Parameters.AddWithValue("names", Names(store).ToArray());
        var list = new List<AsyncProjectionStatus>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(Read(r));
        return list;
    }

    private static AsyncProjectionStatus Read(NpgsqlDataReader r)
    {
        var (name, head) = (r.GetString(0), r.GetInt64(6));
        // A projection that failed on its first page has no progress row yet, but its fault is known.
        if (r.IsDBNull(1) && r.IsDBNull(8) && r.IsDBNull(10))
            return new(name, NotStarted, 0, head, head, 0, null, null, null, null);
        var position = r.IsDBNull(1) ? 0 : r.GetInt64(1);
        // Marten's daemon pauses a projection that throws, naming the event: a fault an operator must see. The node
        // running it reports it (the daemon keeps it in memory); the progression row may say so too.
        var error = !r.IsDBNull(10) ? r.GetString(10) : r.IsDBNull(2) ? null : r.GetString(2);
        var paused = error is not null
            || (!r.IsDBNull(3) && r.GetString(3).Equals("Paused", StringComparison.OrdinalIgnoreCase));
        var errorPosition = !r.IsDBNull(11) ? r.GetInt64(11) : r.IsDBNull(5) ? (long?)null : r.GetInt64(5);
        var rebuildTarget = r.IsDBNull(8) ? (long?)null : r.GetInt64(8);
        var owner = !r.IsDBNull(9) ? r.GetString(9) : r.IsDBNull(4) ? null : $"node {r.GetInt32(4)}";
        return new(name, rebuildTarget is not null ? Rebuilding : paused ? Faulted : Running, position, head,
            Math.Max(head - position, 0), r.IsDBNull(7) ? 0 : Math.Max(r.GetDouble(7), 0), owner,
            paused ? error ?? "paused" : null, errorPosition, rebuildTarget);
    }

    /// <summary>"name: error" of every faulted async projection (the health check's answer).</summary>
    public static async Task<IReadOnlyList<string>> FaultsAsync(IDocumentStore store, NpgsqlDataSource db,
        CancellationToken ct) =>
        (await StatusAsync(store, db, ct)).Where(s => s.State == Faulted).Select(s => $"{s.Name}: {s.LastError}")
            .ToList();
}
