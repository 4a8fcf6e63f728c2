using System.Runtime.CompilerServices;
using System.Text.Json;
using DcAssets.EventStore.Aggregation;
using DcAssets.EventStore.Projections;
using DcAssets.EventStore.Storage;
using Npgsql;

namespace DcAssets.EventStore;

/// <summary>Reads: streams, aggregates folded on demand, and read-model documents.</summary>
public class QuerySession : IAsyncDisposable
{
    internal QuerySession(EventStore store)
    {
        Store = store;
        Events = new EventReader(store);
    }

    public EventStore Store { get; }
    public EventReader Events { get; protected init; }

    public Task<T?> LoadAsync<T>(string id, CancellationToken ct = default) where T : class =>
        Errors.Guard(async () =>
        {
            var table = Store.TableOf(Store.ProjectionFor<T>());
            await using var cmd = Store.DataSource.CreateCommand($"select {table.JsonText} from {table.QualifiedName} where id = @id");
            cmd.Parameters.AddWithValue("id", id);
            var json = await cmd.ExecuteScalarAsync(ct) as string;
            return json is null ? null : JsonSerializer.Deserialize<T>(json, Store.Options.Json);
        });

    public DocumentQuery<T> Query<T>() where T : class =>
        new(Store.DataSource, Store.TableOf(Store.ProjectionFor<T>()), Store.Options.Json);

    public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>Reading events back, by stream or across the whole store.</summary>
public class EventReader
{
    private const string Columns = "e.seq, e.stream_id, e.version, e.type, e.data, e.metadata, e.recorded_at";
    private readonly EventStore _store;

    internal EventReader(EventStore store) => _store = store;

    /// <summary>A stream's events in version order; empty for an unknown or (unless asked) archived stream.</summary>
    public Task<IReadOnlyList<StoredEvent>> FetchStreamAsync(string streamId, long? fromVersion = null, long? toVersion = null,
        DateTimeOffset? asOf = null, bool includeArchived = false, CancellationToken ct = default)
    {
        StreamIds.Validate(streamId);
        return Errors.Guard<IReadOnlyList<StoredEvent>>(async () =>
        {
            await using var cmd = _store.DataSource.CreateCommand(
                $"""
                select {Columns} from {_store.Schema}.events e join {_store.Schema}.streams s on s.id = e.stream_id
                 where e.stream_id = @id and (@archived or not s.archived)
                   and e.version >= @from and e.version <= @to and e.recorded_at <= @asOf
                 order by e.version
                """);
            cmd.Parameters.AddWithValue("id", streamId);
            cmd.Parameters.AddWithValue("archived", includeArchived);
            cmd.Parameters.AddWithValue("from", fromVersion ?? 0);
            cmd.Parameters.AddWithValue("to", toVersion ?? long.MaxValue);
            cmd.Parameters.AddWithValue("asOf", (asOf ?? DateTimeOffset.MaxValue).ToUniversalTime());
            return await ReadAll(cmd, ct);
        });
    }

    /// <summary>Folds a stream by convention (static Create / Apply methods on <typeparamref name="T"/>).</summary>
    public async Task<T?> AggregateStreamAsync<T>(string streamId, long? version = null, DateTimeOffset? asOf = null, CancellationToken ct = default)
        where T : class =>
        Aggregator<T>.Fold(await FetchStreamAsync(streamId, toVersion: version, asOf: asOf, ct: ct));

    /// <summary>Folds a stream with an explicit function.</summary>
    public async Task<T?> AggregateStreamAsync<T>(string streamId, Func<T?, StoredEvent, T?> fold, long? version = null,
        DateTimeOffset? asOf = null, CancellationToken ct = default) =>
        (await FetchStreamAsync(streamId, toVersion: version, asOf: asOf, ct: ct)).Aggregate(default(T), fold);

    /// <summary>The stream's current version, or null when it does not exist.</summary>
    public Task<StreamState?> StreamStateAsync(string streamId, CancellationToken ct = default) =>
        Errors.Guard(async () =>
        {
            await using var cmd = _store.DataSource.CreateCommand($"select version, type, archived, created_at, updated_at from {_store.Schema}.streams where id = @id");
            cmd.Parameters.AddWithValue("id", streamId);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct)) return null;
            return new StreamState(streamId, r.GetInt64(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetBoolean(2),
                r.GetFieldValue<DateTimeOffset>(3), r.GetFieldValue<DateTimeOffset>(4));
        });

    /// <summary>Every event after <paramref name="fromPosition"/> in position order, archived streams included; for tools.</summary>
    public async IAsyncEnumerable<StoredEvent> ReadAllAsync(long fromPosition = 0, int batchSize = 1000, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var position = fromPosition;
        while (true)
        {
            IReadOnlyList<StoredEvent> batch = await Errors.Guard<IReadOnlyList<StoredEvent>>(async () =>
            {
                await using var cmd = _store.DataSource.CreateCommand($"select {Columns} from {_store.Schema}.events e where e.seq > @from order by e.seq limit @n");
                cmd.Parameters.AddWithValue("from", position);
                cmd.Parameters.AddWithValue("n", batchSize);
                return await ReadAll(cmd, ct);
            });
            foreach (var e in batch) yield return e;
            if (batch.Count < batchSize) yield break;
            position = batch[^1].Position;
        }
    }

    private async Task<IReadOnlyList<StoredEvent>> ReadAll(NpgsqlCommand cmd, CancellationToken ct)
    {
        var list = new List<StoredEvent>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) list.Add(Read(r));
        return list;
    }

    internal StoredEvent Read(NpgsqlDataReader r)
    {
        var position = r.GetInt64(0);
        var type = r.GetString(3);
        var json = _store.Options.Json;
        return new StoredEvent(position, r.GetString(1), r.GetInt64(2), type,
            _store.Registry.Deserialize(type, r.GetFieldValue<byte[]>(4), position, json),
            JsonSerializer.Deserialize<EventMetadata>(r.GetFieldValue<byte[]>(5), json) ?? new EventMetadata(),
            r.GetFieldValue<DateTimeOffset>(6));
    }
}

public sealed record StreamState(string Id, long Version, string? Type, bool Archived, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
