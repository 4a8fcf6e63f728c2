using System.Collections.Concurrent;
using System.Text.Json;
using DcAssets.EventStore.Projections;
using Npgsql;

namespace DcAssets.EventStore.Daemon;

/// <summary>Runs an <see cref="IProjection"/> asynchronously: parses only the events it handles.</summary>
public sealed class ProjectionConsumer(EventStore store, IProjection projection) : IFeedConsumer
{
    private readonly ConcurrentDictionary<string, bool> _wants = new(StringComparer.Ordinal);

    public string Name => projection.Name;
    public IProjection Projection => projection;
    public DocumentTable? Table => store.TableOf(projection);

    public bool WantsData(string typeName) =>
        _wants.GetOrAdd(typeName, t => store.Registry.ResolveStored(t) is { } type && projection.Handles(type));

    public async Task ApplyAsync(IReadOnlyList<FeedEvent> page, NpgsqlConnection conn, NpgsqlTransaction tx, string? table, CancellationToken ct)
    {
        var json = store.Options.Json;
        var events = page.Where(e => e.Data is not null && WantsData(e.TypeName))
            .Select(e => new StoredEvent(e.Position, e.StreamId, e.Version, e.TypeName,
                store.Registry.Deserialize(e.TypeName, e.Data!, e.Position, json),
                JsonSerializer.Deserialize<EventMetadata>(e.Metadata, json) ?? new EventMetadata(), e.RecordedAt))
            .ToList();
        if (events.Count == 0) return;
        await projection.ApplyAsync(events, new ProjectionWrite(conn, tx, table ?? Table!.QualifiedName, json), ct);
    }
}
