using System.Collections.Concurrent;
using System.Text.Json;
using DcAssets.EventStore.Projections;
using Npgsql;

namespace DcAssets.EventStore.Daemon;

/// <summary>Runs an <see cref="IProjection"/> asynchronously: parses only the events it handles.</summary>
public sealed class ProjectionConsumer(EventStore store, IProjection projection) : IFeedConsumer, IParsesAhead
{
    private readonly ConcurrentDictionary<string, bool> _wants = new(StringComparer.Ordinal), _known = new(StringComparer.Ordinal);
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<IReadOnlyList<FeedEvent>, StoredEvent[]> _parsed = new();

    public string Name => projection.Name;
    public IProjection Projection => projection;
    public DocumentTable? Table => store.TableOf(projection);

    public bool WantsData(string typeName) =>
        _wants.GetOrAdd(typeName, t => store.Registry.ResolveStored(t) is { } type && projection.Handles(type));

    // Whether an unregistered type would have mattered cannot be known, so it faults the projection
    // (naming type and position) instead of being passed over.
    private void CheckKnown(IReadOnlyList<FeedEvent> page)
    {
        string? checkedType = null;
        foreach (var e in page)
        {
            if (ReferenceEquals(e.TypeName, checkedType)) continue; // the feed shares one string per run of a type
            if (!_known.GetOrAdd(e.TypeName, t => store.Registry.ResolveStored(t) is not null))
                throw new UnknownEventTypeException(e.TypeName, e.Position);
            checkedType = e.TypeName;
        }
    }

    public void ParseAhead(IReadOnlyList<FeedEvent> page) => _parsed.AddOrUpdate(page, Parse(page));

    public async Task ApplyAsync(IReadOnlyList<FeedEvent> page, NpgsqlConnection conn, NpgsqlTransaction tx, string? table, CancellationToken ct)
    {
        var events = _parsed.TryGetValue(page, out var parsed) ? parsed : Parse(page);
        _parsed.Remove(page);
        if (events.Length == 0) return;
        await projection.ApplyAsync(events, new ProjectionWrite(conn, tx, table ?? Table!.QualifiedName, store.Options.Json) { SoleWriter = true }, ct);
    }

    private StoredEvent[] Parse(IReadOnlyList<FeedEvent> page)
    {
        CheckKnown(page);
        var json = store.Options.Json;
        // Sized exactly: a list grown by doubling passes 85 kB on a 10,000-event page (large-object heap).
        // Data was read only for the types this consumer wants.
        var wanted = new List<FeedEvent>(page.Count(e => e.Data is not null));
        foreach (var e in page) if (e.Data is not null) wanted.Add(e);
        // A page of events this projection ignores (a partitioner refuses an empty range).
        if (wanted.Count == 0) return [];
        var events = new StoredEvent[wanted.Count];
        // Parsing is the bulk of a catch-up's client work; events of one save share their metadata.
        Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, wanted.Count, 512), range =>
        {
            byte[]? lastText = null;
            EventMetadata lastMeta = new();
            for (var i = range.Item1; i < range.Item2; i++)
            {
                var e = wanted[i];
                if (lastText is null || !e.Metadata.AsSpan().SequenceEqual(lastText))
                    (lastText, lastMeta) = (e.Metadata, JsonSerializer.Deserialize<EventMetadata>(e.Metadata, json) ?? new EventMetadata());
                events[i] = new StoredEvent(e.Position, e.StreamId, e.Version, e.TypeName,
                    store.Registry.Deserialize(e.TypeName, e.Data!, e.Position, json), lastMeta, e.RecordedAt);
            }
        });
        return events;
    }
}
