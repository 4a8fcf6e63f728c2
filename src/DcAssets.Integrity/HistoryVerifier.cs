using System.Data;
using Marten;
using Npgsql;

namespace DcAssets.Integrity;

/// <summary>
/// Recomputes every event's stream hash from what is stored, folds the global chain and checks it against
/// every seal, and compares the streams table with the events, all in one REPEATABLE READ snapshot: appends
/// and seals committing meanwhile are simply not seen, so a verify during appends reports intact. Without a key
/// only the stream chains are checked: nothing else can tell a seal from a forgery.
/// </summary>
public sealed class HistoryVerifier(IDocumentStore store, SealKey? key)
{
    // Marten writes events of failed saves here, numbered by their sequence, not 1, 2, 3...
    private const string TombstoneStream = "mt_tombstone";
    private readonly string _schema = store.Options.Events.DatabaseSchemaName;
    private readonly EventColumns _columns = EventColumns.From(store.Options);

    /// <summary>Verifies from <paramref name="fromSeq"/> (1 for everything), starting at the seal before it.</summary>
    public async Task<VerifyResult> VerifyAsync(long fromSeq = 1, CancellationToken ct = default)
    {
        await using var conn = store.Storage.Database.CreateConnection();
        await conn.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        await using (var readOnly = new NpgsqlCommand("set transaction read only", conn, tx))
            await readOnly.ExecuteNonQueryAsync(ct);

        var run = new Run(key);
        IReadOnlyList<Seal> seals = key is null ? [] : await Seal.LoadAsync(conn, _schema, ct);
        run.CheckSealSequence(seals);
        // Start after the last seal before fromSeq whose signature holds: its chain head is trusted.
        var start = seals.LastOrDefault(s => s.UpToSeq < fromSeq && run.SignatureHolds(s));
        var after = start?.UpToSeq ?? 0;
        run.Begin(start, seals.Where(s => s.UpToSeq > after));
        if (after > 0) await LoadStreamHeadsAsync(conn, tx, after, run.Streams, ct);

        await ReadEventsAsync(conn, tx, after, run, ct);
        run.FinishSeals();
        await CheckOrphanHashesAsync(conn, tx, after, run, ct);
        await CheckStreamTableAsync(conn, tx, complete: after == 0, run, ct);
        return new VerifyResult(fromSeq, run.EventsChecked, run.SealsChecked, run.Problems);
    }

    private async Task ReadEventsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long after, Run run,
        CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            select e.seq_id, e.stream_id, e.version, e.id, e.type, e.timestamp, e.tenant_id, e.data::text, e.bdata,
                   {_columns.Select("headers")}, {_columns.Select("correlation_id")},
                   {_columns.Select("causation_id")}, {_columns.Select("user_name")}, h.seq_id, h.hash
              from {_schema}.mt_events e
              left join {_schema}.{Names.Hashes} h on h.stream_id = e.stream_id and h.version = e.version
             where e.seq_id > $1 order by e.seq_id
            """, conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter { Value = after });
        await using var r = await cmd.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct);
        while (await r.ReadAsync(ct))
        {
            var e = new StoredEvent(r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.GetGuid(3), r.GetString(4),
                r.GetFieldValue<DateTimeOffset>(5), Text(r, 6), r.GetString(7),
                r.IsDBNull(8) ? null : r.GetFieldValue<byte[]>(8), Text(r, 9), Text(r, 10), Text(r, 11), Text(r, 12));
            var hashSeq = r.IsDBNull(13) ? (long?)null : r.GetInt64(13);
            var hash = r.IsDBNull(14) ? null : r.GetFieldValue<byte[]>(14);
            run.Check(e, hashSeq, hash, contiguous: e.StreamId != TombstoneStream);
        }
    }

    private static string? Text(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    // For a run from a seal: each stream's stored hash before the range, the link its next event chains to.
    private async Task LoadStreamHeadsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long upTo,
        Dictionary<string, StreamHead> streams, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            select distinct on (e.stream_id) e.stream_id, e.version, h.hash
              from {_schema}.mt_events e
              left join {_schema}.{Names.Hashes} h on h.stream_id = e.stream_id and h.version = e.version
             where e.seq_id <= $1 order by e.stream_id, e.version desc
            """, conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter { Value = upTo });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            streams[r.GetString(0)] = new StreamHead(r.GetInt64(1), r.IsDBNull(2) ? [] : (byte[])r[2]);
    }

    // A hash whose event is gone: an event was deleted and its hash left behind.
    private async Task CheckOrphanHashesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long after, Run run,
        CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand($"""
            select h.seq_id, h.stream_id, h.version from {_schema}.{Names.Hashes} h
             where h.seq_id > $1 and not exists (select 1 from {_schema}.mt_events e
                                                  where e.stream_id = h.stream_id and e.version = h.version)
             order by h.seq_id limit 1
            """, conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter { Value = after });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (await r.ReadAsync(ct))
            run.Problems.Add(new(r.GetInt64(0), $"stream '{r.GetString(1)}' version {r.GetInt64(2)} " +
                $"(sequence {r.GetInt64(0)}) has a stored hash but no event: the event was deleted"));
    }

    private async Task CheckStreamTableAsync(NpgsqlConnection conn, NpgsqlTransaction tx, bool complete, Run run,
        CancellationToken ct)
    {
        var recorded = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var cmd = new NpgsqlCommand(
            $"select id, coalesce(version, 0) from {_schema}.mt_streams where id <> '{TombstoneStream}'", conn, tx))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct)) recorded[r.GetString(0)] = r.GetInt64(1);

        foreach (var (id, version) in recorded)
        {
            if (!run.Streams.TryGetValue(id, out var seen))
            {
                if (complete && version > 0)
                    run.Problems.Add(new(null, $"stream '{id}' is recorded at version {version} but has no events: " +
                                               "they were deleted"));
            }
            else if (seen.Version > version)
                run.Problems.Add(new(await SeqOfAsync(conn, tx, id, version + 1, ct),
                    $"stream '{id}' is recorded at version {version} but has events up to version {seen.Version}: " +
                    "they were inserted behind the application's back"));
            else if (seen.Version < version)
                run.Problems.Add(new(null, $"stream '{id}' is recorded at version {version} but its events end at " +
                                           $"version {seen.Version}: its newest events were deleted"));
        }
        foreach (var id in run.Streams.Keys.Where(id => id != TombstoneStream && !recorded.ContainsKey(id)))
            run.Problems.Add(new(await SeqOfAsync(conn, tx, id, null, ct),
                $"stream '{id}' has events but no stream record: they were inserted behind the application's back"));
    }

    private async Task<long?> SeqOfAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string streamId, long? version,
        CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            $"select min(seq_id) from {_schema}.mt_events where stream_id = $1 and " +
            "($2::bigint is null or version = $2)", conn, tx);
        cmd.Parameters.Add(new NpgsqlParameter { Value = streamId });
        cmd.Parameters.Add(new NpgsqlParameter<long?> { TypedValue = version });
        return await cmd.ExecuteScalarAsync(ct) as long?;
    }
}
