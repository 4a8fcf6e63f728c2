using System.Runtime.InteropServices;
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

    public bool KeepsJsonText { get; private set; }

    /// <summary>For a read model answered far more often than changed; see <see cref="DocumentTable.KeepsJsonText"/>.</summary>
    protected void KeepJsonText() => KeepsJsonText = true;

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

    // Most projections keep one document per stream: they are folded without a collection per event.
    private bool? _byStream;
    private bool ByStream => _byStream ??=
        GetType().GetMethod(nameof(DocumentIds), System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!
            .DeclaringType == typeof(DocumentProjection<TDoc>);

    /// <summary>The document after the event; null deletes it.</summary>
    protected abstract TDoc? Apply(TDoc? current, StoredEvent e);

    private void Fold(Slot slot, StoredEvent e)
    {
        if (slot.Version == e.Position) return; // an id named twice by one event
        slot.Doc = Apply(slot.Doc, e);
        slot.Version = e.Position;
    }

    private sealed class Slot
    {
        public TDoc? Doc;
        public long Version;
    }

    public async Task ApplyAsync(IReadOnlyList<StoredEvent> events, ProjectionWrite w, CancellationToken ct)
    {
        // A catch-up passes here once per page of thousands of events: one lookup per event and
        // document, no per-event lists, and nothing sized by the page (arrays past 85 kB go to the
        // large-object heap and bring full collections).
        var slots = new Dictionary<string, Slot>(StringComparer.Ordinal);
        var byStream = ByStream;
        foreach (var e in events)
        {
            if (!Handles(e.EventType)) continue;
            if (byStream) CollectionsMarshal.GetValueRefOrAddDefault(slots, e.StreamId, out _) ??= new Slot();
            else foreach (var id in DocumentIds(e)) CollectionsMarshal.GetValueRefOrAddDefault(slots, id, out _) ??= new Slot();
        }
        if (slots.Count == 0) return;
        var ids = slots.Keys.ToArray();

        await using (var load = new NpgsqlBatch(w.Connection, w.Transaction))
        {
            // "for update" locks only rows that exist: two appends creating the same document would
            // both find none and the later write would drop the earlier one's change. So concurrent
            // writers first take a transaction lock per document, in one global order (no deadlocks).
            // The daemon is its tables' only writer and needs neither.
            if (!w.SoleWriter) load.BatchCommands.Add(DocumentLocks.Take(w.Table, ids));
            var select = new NpgsqlBatchCommand($"select id, data from {w.Table} where id = any(@ids){(w.SoleWriter ? "" : " for update")}");
            select.Parameters.AddWithValue("ids", ids);
            load.BatchCommands.Add(select);
            await using var r = await load.ExecuteReaderAsync(ct);
            if (!w.SoleWriter) await r.NextResultAsync(ct);
            while (await r.ReadAsync(ct)) slots[r.GetString(0)].Doc = JsonSerializer.Deserialize<TDoc>(r.GetString(1), w.Json);
        }

        foreach (var e in events)
        {
            if (!Handles(e.EventType)) continue;
            if (byStream) Fold(slots[e.StreamId], e);
            else foreach (var id in DocumentIds(e)) Fold(slots[id], e);
        }

        var upserts = slots.Where(kv => kv.Value.Doc is not null).ToArray();
        var deletes = slots.Where(kv => kv.Value.Doc is null).Select(kv => kv.Key).ToArray();
        var batch = new NpgsqlBatch(w.Connection, w.Transaction);
        if (upserts.Length > 0)
        {
            var cmd = new NpgsqlBatchCommand(
                $"""
                insert into {w.Table} as d (id, data, version, updated_at)
                select u.id, u.data, u.version, now() from unnest(@ids, @data, @versions) as u(id, data, version)
                on conflict (id) do update set data = excluded.data, version = excluded.version, updated_at = now()
                """);
            cmd.Parameters.AddWithValue("ids", upserts.Select(kv => kv.Key).ToArray());
            cmd.Parameters.Add(new NpgsqlParameter("data", NpgsqlDbType.Array | NpgsqlDbType.Jsonb)
            { Value = upserts.Select(kv => JsonSerializer.Serialize(kv.Value.Doc, w.Json)).ToArray() });
            cmd.Parameters.AddWithValue("versions", upserts.Select(kv => kv.Value.Version).ToArray());
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
