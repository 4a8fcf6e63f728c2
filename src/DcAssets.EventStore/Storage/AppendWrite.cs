using System.Runtime.ExceptionServices;
using System.Text;
using System.Text.Json;
using DcAssets.EventStore.Hashing;
using Npgsql;
using NpgsqlTypes;

namespace DcAssets.EventStore.Storage;

/// <summary>
/// One SaveChanges, ready to send: every event already serialized, size-checked and digested, so
/// nothing that can be refused in memory reaches the database. Without inline projections,
/// idempotency or archiving it is a single round trip: one batch, one implicit transaction.
/// </summary>
internal sealed class AppendWrite
{
    // From this many events on, one COPY beats one statement per stream.
    private const int BulkThreshold = 100;

    private readonly EventStore _store;
    private readonly List<StreamWrite> _streams;
    private readonly IReadOnlyCollection<string> _archives;
    private readonly string? _idempotencyKey;
    private readonly DateTimeOffset _recordedAt;
    private readonly EventMetadata _metadata;
    private readonly byte[] _metadataJson;

    private AppendWrite(EventStore store, List<StreamWrite> streams, IReadOnlyCollection<string> archives, string? key,
        DateTimeOffset recordedAt, EventMetadata metadata, byte[] metadataJson)
    {
        _store = store;
        _streams = streams;
        _archives = archives;
        _idempotencyKey = key;
        _recordedAt = recordedAt;
        _metadata = metadata;
        _metadataJson = metadataJson;
    }

    public static AppendWrite Prepare(EventStore store, IEnumerable<PendingStream> pending, IReadOnlyCollection<string> archives,
        EventMetadata metadata, string? idempotencyKey)
    {
        // Postgres keeps microseconds; the digest must cover exactly what is stored.
        var now = DateTimeOffset.UtcNow;
        var recordedAt = new DateTimeOffset(now.UtcTicks - now.UtcTicks % 10, TimeSpan.Zero);
        var metaBytes = JsonSerializer.SerializeToUtf8Bytes(metadata, store.Options.Json);
        var streams = new List<StreamWrite>();
        // A fixed lock order across writers means two multi-stream saves never deadlock.
        var ordered = pending.OrderBy(p => p.StreamId, StringComparer.Ordinal).ToList();
        var flat = ordered.SelectMany(p => p.Events.Select(e => (Stream: p, Event: e))).ToArray();
        var prepared = new EventWrite[flat.Length];
        // Serializing and hashing is most of a bulk save's client time; spread it over the cores.
        if (flat.Length >= 64)
        {
            try { Parallel.For(0, flat.Length, i => prepared[i] = PrepareEvent(store, flat[i].Stream, flat[i].Event, metaBytes, recordedAt)); }
            catch (AggregateException ex) { ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw(); }
        }
        else
        {
            for (var i = 0; i < flat.Length; i++) prepared[i] = PrepareEvent(store, flat[i].Stream, flat[i].Event, metaBytes, recordedAt);
        }
        var next = 0;
        foreach (var p in ordered)
        {
            streams.Add(new StreamWrite(p, prepared.AsSpan(next, p.Events.Count).ToArray().ToList()));
            next += p.Events.Count;
        }
        return new AppendWrite(store, streams, archives, idempotencyKey, recordedAt, metadata, metaBytes);
    }

    private static EventWrite PrepareEvent(EventStore store, PendingStream p, object e, byte[] metaBytes, DateTimeOffset recordedAt)
    {
        var type = store.Registry.NameOf(e.GetType());
        var bytes = JsonSerializer.SerializeToUtf8Bytes(e, e.GetType(), store.Options.Json);
        if (bytes.Length > store.Options.MaxEventBytes)
            throw new EventTooLargeException(p.StreamId, type, bytes.Length, store.Options.MaxEventBytes);
        // The json columns keep these bytes exactly (they are sent as they are), so the digest is over what is stored.
        return new EventWrite(e, type, bytes, EventDigest.Compute(p.StreamId, type, bytes, metaBytes, recordedAt));
    }

    public async Task<SaveResult> ExecuteAsync(CancellationToken ct)
    {
        // A lost race to create a stream is found before any position is taken; the retry sees the stream.
        for (var attempt = 1; ; attempt++)
        {
            try { return await ExecuteOnceAsync(ct); }
            catch (StreamCreatedConcurrentlyException) when (attempt < 3) { }
            catch (StreamCreatedConcurrentlyException ex)
            {
                // Three lost races in a row: give up as any other writer that lost does.
                throw new ConcurrencyException(ex.StreamId, null, 0);
            }
        }
    }

    private async Task<SaveResult> ExecuteOnceAsync(CancellationToken ct)
    {
        var inline = _store.Options.InlineProjections
            .Where(p => _streams.Any(s => s.Events.Any(e => p.Handles(e.Event.GetType())))).ToList();
        var bulk = _streams.Sum(s => s.Events.Count) >= BulkThreshold;
        var needsTransaction = bulk || inline.Count > 0 || _idempotencyKey is not null || _archives.Count > 0 || _store.Options.BeforeCommit is not null;

        await using var conn = await _store.DataSource.OpenConnectionAsync(ct);
        await using var tx = needsTransaction ? await conn.BeginTransactionAsync(ct) : null;

        if (_idempotencyKey is not null && await FindDuplicateAsync(conn, tx!, ct) is { } original)
            return original;

        var appended = _streams.Count == 0 ? []
            : bulk ? await CopyAppend.ExecuteAsync(conn, tx!, _store.Schema,
                    _streams.Select(s => new CopyAppend.Stream(s.Pending.StreamId, s.Pending.StreamType, s.Pending.Expected,
                        s.Events.Select(e => (e.Type, e.Json, e.Digest)).ToList())).ToList(), _metadataJson, _recordedAt, ct)
            : await AppendAsync(conn, tx, ct);
        if (_archives.Count > 0)
        {
            await using var archive = new NpgsqlCommand($"update {_store.Schema}.streams set archived = true, updated_at = now() where id = any($1)", conn, tx);
            archive.Parameters.Add(new NpgsqlParameter { Value = _archives.ToArray() });
            await archive.ExecuteNonQueryAsync(ct);
        }

        if (inline.Count > 0)
        {
            var stored = StoredEvents(appended);
            foreach (var projection in inline)
                await projection.ApplyAsync(stored, new Projections.ProjectionWrite(conn, tx!, _store.TableOf(projection).QualifiedName, _store.Options.Json), ct);
        }
        if (_idempotencyKey is not null)
        {
            await using var cmd = new NpgsqlCommand($"update {_store.Schema}.idempotency_keys set events = @events where key = @key", conn, tx);
            cmd.Parameters.AddWithValue("key", _idempotencyKey);
            cmd.Parameters.Add(new NpgsqlParameter("events", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(appended) });
            await cmd.ExecuteNonQueryAsync(ct);
        }
        if (_store.Options.BeforeCommit is { } hold) await hold(ct);
        if (tx is not null) await tx.CommitAsync(ct);
        return new SaveResult(appended, false);
    }

    // Claiming the key first makes a concurrent duplicate wait for the original and then see it.
    private async Task<SaveResult?> FindDuplicateAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var claim = new NpgsqlCommand($"insert into {_store.Schema}.idempotency_keys (key) values (@key) on conflict do nothing", conn, tx);
        claim.Parameters.AddWithValue("key", _idempotencyKey!);
        if (await claim.ExecuteNonQueryAsync(ct) == 1) return null;
        await tx.RollbackAsync(ct);
        await using var read = new NpgsqlCommand($"select events::text from {_store.Schema}.idempotency_keys where key = @key", conn);
        read.Parameters.AddWithValue("key", _idempotencyKey!);
        var json = await read.ExecuteScalarAsync(ct) as string;
        return new SaveResult(json is null ? [] : JsonSerializer.Deserialize<List<AppendedEvent>>(json)!, true);
    }

    private async Task<List<AppendedEvent>> AppendAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, CancellationToken ct)
    {
        // The commonest save, one event to a stream that exists, is a plain update and insert. When it
        // matches no row nothing was written, so the general statement below can still run on its own.
        if (tx is null && _streams is [{ Events.Count: 1 } only] && only.Pending.Expected != 0)
        {
            await using var cmd = new NpgsqlCommand(Sql.AppendToExisting(_store.Schema), conn);
            AddAppendOneParameters(cmd.Parameters, only);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (await r.ReadAsync(ct)) return [new AppendedEvent(only.Pending.StreamId, r.GetInt64(1), r.GetInt64(0))];
        }

        await using var batch = new NpgsqlBatch(conn, tx);
        foreach (var s in _streams) batch.BatchCommands.Add(s.Events.Count == 1 ? AppendOne(s) : AppendMany(s));

        var positions = new Dictionary<(string, long), long>();
        try
        {
            await using var r = await batch.ExecuteReaderAsync(ct);
            var i = 0;
            do
            {
                var streamId = i < _streams.Count ? _streams[i].Pending.StreamId : null;
                while (await r.ReadAsync(ct)) positions[(streamId!, r.GetInt64(1))] = r.GetInt64(0);
                i++;
            } while (await r.NextResultAsync(ct));
        }
        catch (PostgresException ex) when (ex.SqlState is Sql.ConcurrencyState or Sql.ArchivedState)
        {
            var index = ex.BatchCommand is null ? -1 : batch.BatchCommands.IndexOf(ex.BatchCommand);
            var stream = index >= 0 && index < _streams.Count
                ? _streams[index].Pending
                : _streams.First(s => ex.MessageText.EndsWith(s.Pending.StreamId, StringComparison.Ordinal)).Pending;
            var actual = long.Parse(ex.Hint ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            if (ex.SqlState == Sql.ArchivedState) throw new StreamArchivedException(stream.StreamId);
            throw new ConcurrencyException(stream.StreamId, stream.Expected, actual);
        }

        var appended = new List<AppendedEvent>();
        foreach (var s in _streams)
        {
            var versions = positions.Where(p => p.Key.Item1 == s.Pending.StreamId).Select(p => p.Key.Item2).Order().ToList();
            appended.AddRange(versions.Select(v => new AppendedEvent(s.Pending.StreamId, v, positions[(s.Pending.StreamId, v)])));
        }
        return appended;
    }

    private NpgsqlBatchCommand AppendOne(StreamWrite s)
    {
        var cmd = new NpgsqlBatchCommand(Sql.AppendOne(_store.Schema));
        AddAppendOneParameters(cmd.Parameters, s);
        return cmd;
    }

    private void AddAppendOneParameters(NpgsqlParameterCollection parameters, StreamWrite s)
    {
        var e = s.Events[0];
        parameters.Add(new NpgsqlParameter { Value = s.Pending.StreamId, NpgsqlDbType = NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter { Value = (object?)s.Pending.StreamType ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter { Value = (object?)s.Pending.Expected ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        parameters.Add(new NpgsqlParameter { Value = e.Type, NpgsqlDbType = NpgsqlDbType.Text });
        parameters.Add(new NpgsqlParameter { Value = e.Json, NpgsqlDbType = NpgsqlDbType.Json });
        parameters.Add(new NpgsqlParameter { Value = _metadataJson, NpgsqlDbType = NpgsqlDbType.Json });
        parameters.Add(new NpgsqlParameter { Value = e.Digest, NpgsqlDbType = NpgsqlDbType.Bytea });
        parameters.Add(new NpgsqlParameter { Value = _recordedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
    }

    private NpgsqlBatchCommand AppendMany(StreamWrite s)
    {
        var cmd = new NpgsqlBatchCommand($"select seq, version from {_store.Schema}.append_to_stream($1, $2, $3, $4, $5, $6, $7, $8)");
        cmd.Parameters.Add(new NpgsqlParameter { Value = s.Pending.StreamId, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)s.Pending.StreamType ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)s.Pending.Expected ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        cmd.Parameters.Add(new NpgsqlParameter { Value = s.Events.Select(e => e.Type).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        cmd.Parameters.Add(new NpgsqlParameter { Value = s.Events.Select(e => e.Json).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Json });
        cmd.Parameters.Add(new NpgsqlParameter { Value = Enumerable.Repeat(_metadataJson, s.Events.Count).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Json });
        cmd.Parameters.Add(new NpgsqlParameter { Value = s.Events.Select(e => e.Digest).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        cmd.Parameters.Add(new NpgsqlParameter { Value = _recordedAt, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        return cmd;
    }

    private List<StoredEvent> StoredEvents(List<AppendedEvent> appended)
    {
        var list = new List<StoredEvent>();
        var k = 0;
        foreach (var s in _streams)
            foreach (var e in s.Events)
            {
                var a = appended[k++];
                list.Add(new StoredEvent(a.Position, a.StreamId, a.Version, e.Type, e.Event, _metadata, _recordedAt));
            }
        return list;
    }

    private sealed record EventWrite(object Event, string Type, byte[] Json, byte[] Digest);

    private sealed record StreamWrite(PendingStream Pending, List<EventWrite> Events);
}
