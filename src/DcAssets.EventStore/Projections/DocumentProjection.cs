using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace DcAssets.EventStore.Projections;

/// <summary>
/// A projection whose documents are keyed by id: each event names the documents it touches, they
/// are loaded in one query, folded in order, and written back in one statement.
/// </summary>
public abstract class DocumentProjection<TDoc> : IProjection where TDoc : class
{
    private readonly HashSet<Type> _handled = [];
    private readonly List<DocumentIndex> _indexes = [];

    protected DocumentProjection(string name)
    {
        DocumentTable.ValidateName(name);
        Name = name;
    }

    public string Name { get; }
    public Type DocumentType => typeof(TDoc);
    public IReadOnlyList<DocumentIndex> Indexes => _indexes;

    public bool Handles(Type eventType) => _handled.Contains(eventType);

    protected void Handles<TEvent>() => _handled.Add(typeof(TEvent));

    protected void Index(string name, string expression, bool unique = false, string method = "btree") =>
        _indexes.Add(new DocumentIndex(name, expression, unique, method));

    /// <summary>
    /// One btree over several expressions, for a filter that is asked together and a sort that follows it:
    /// the table's DDL wraps the expression in double parentheses, so the list becomes "((a), (b), (c))".
    /// </summary>
    protected void CompositeIndex(string name, params string[] expressions) =>
        _indexes.Add(new DocumentIndex(name, string.Join("), (", expressions)));

    /// <summary>Ids of the documents this event changes; by default its stream's.</summary>
    protected virtual IEnumerable<string> DocumentIds(StoredEvent e) => [e.StreamId];

    /// <summary>The document after the event; null deletes it.</summary>
    protected abstract TDoc? Apply(TDoc? current, StoredEvent e);

    public async Task ApplyAsync(IReadOnlyList<StoredEvent> events, ProjectionWrite w, CancellationToken ct)
    {
        // A catch-up passes here once per page of thousands of events: no per-event lists, and nothing
        // sized by the page (arrays past 85 kB go to the large-object heap and bring full collections).
        var all = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in events)
            if (Handles(e.EventType)) all.UnionWith(DocumentIds(e));
        if (all.Count == 0) return;
        var ids = all.ToArray();

        var docs = new Dictionary<string, TDoc?>(StringComparer.Ordinal);
        await using (var load = new NpgsqlBatch(w.Connection, w.Transaction))
        {
            // "for update" locks only rows that exist: two appends creating the same document would
            // both find none and the later write would drop the earlier one's change. So concurrent
            // writers first take a transaction lock per document, in one global order (no deadlocks).
            if (!w.SoleWriter) load.BatchCommands.Add(DocumentLocks.Take(w.Table, ids));
            var select = new NpgsqlBatchCommand($"select id, data from {w.Table} where id = any(@ids) for update");
            select.Parameters.AddWithValue("ids", ids);
            load.BatchCommands.Add(select);
            await using var r = await load.ExecuteReaderAsync(ct);
            if (!w.SoleWriter) await r.NextResultAsync(ct);
            while (await r.ReadAsync(ct)) docs[r.GetString(0)] = JsonSerializer.Deserialize<TDoc>(r.GetString(1), w.Json);
        }

        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var e in events)
        {
            if (!Handles(e.EventType)) continue;
            foreach (var id in DocumentIds(e))
            {
                if (versions.TryGetValue(id, out var seen) && seen == e.Position) continue; // an id named twice by one event
                docs[id] = Apply(docs.GetValueOrDefault(id), e);
                versions[id] = e.Position;
            }
        }

        var upserts = versions.Keys.Where(id => docs[id] is not null).ToArray();
        var deletes = versions.Keys.Where(id => docs[id] is null).ToArray();
        var batch = new NpgsqlBatch(w.Connection, w.Transaction);
        if (upserts.Length > 0)
        {
            var cmd = new NpgsqlBatchCommand(
                $"""
                insert into {w.Table} as d (id, data, version, updated_at)
                select u.id, u.data, u.version, now() from unnest(@ids, @data, @versions) as u(id, data, version)
                on conflict (id) do update set data = excluded.data, version = excluded.version, updated_at = now()
                """);
            cmd.Parameters.AddWithValue("ids", upserts);
            cmd.Parameters.Add(new NpgsqlParameter("data", NpgsqlDbType.Array | NpgsqlDbType.Jsonb)
            { Value = upserts.Select(id => JsonSerializer.Serialize(docs[id], w.Json)).ToArray() });
            cmd.Parameters.AddWithValue("versions", upserts.Select(id => versions[id]).ToArray());
            batch.BatchCommands.Add(cmd);
        }
        if (deletes.Length > 0)
        {
            var cmd = new NpgsqlBatchCommand($"delete from {w.Table} where id = any(@ids)");
            cmd.Parameters.AddWithValue("ids", deletes);
            batch.BatchCommands.Add(cmd);
        }
        await using (batch) await batch.ExecuteNonQueryAsync(ct);
    }
}
