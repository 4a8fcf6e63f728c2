using DcAssets.EventStore.Hashing;
using Npgsql;
using NpgsqlTypes;

namespace DcAssets.EventStore.Storage;

/// <summary>
/// The bulk path for large saves (imports, poll cycles): lock the existing stream rows, check every
/// expected version in memory, extend the hash chains here, write each stream row once (new ones are
/// inserted already at their final version), take positions only once all checks passed, then binary
/// COPY the events. Must run inside an explicit transaction.
/// </summary>
internal static class CopyAppend
{
    public sealed record Stream(string Id, string? Type, long? Expected, IReadOnlyList<(string Type, byte[] Json, byte[] Digest)> Events);

    public static async Task<List<AppendedEvent>> ExecuteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string schema,
        IReadOnlyList<Stream> streams, byte[] metadata, DateTimeOffset recordedAt, CancellationToken ct)
    {
        // Locks in id order, the order every writer uses, so two bulk saves never deadlock.
        var current = new Dictionary<string, (long Version, byte[]? Hash, bool Archived)>(StringComparer.Ordinal);
        await using (var select = new NpgsqlCommand(
            $"select id, version, last_hash, archived from {schema}.streams where id = any($1) order by id for update", conn, tx))
        {
            select.Parameters.Add(new NpgsqlParameter { Value = streams.Select(s => s.Id).ToArray() });
            await using var r = await select.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
                current[r.GetString(0)] = (r.GetInt64(1), r.IsDBNull(2) ? null : (byte[])r[2], r.GetBoolean(3));
        }

        var rows = new List<(Stream Stream, int Index, long Version, byte[] Hash)>();
        var created = new List<(Stream Stream, long Version, byte[] Hash)>();
        var advanced = new List<(Stream Stream, long Version, byte[] Hash)>();
        foreach (var s in streams)
        {
            var exists = current.TryGetValue(s.Id, out var head);
            if (head.Archived) throw new StreamArchivedException(s.Id);
            if (s.Expected is { } expected && expected != head.Version) throw new ConcurrencyException(s.Id, expected, head.Version);
            var (version, previous) = (head.Version, head.Hash ?? []);
            for (var i = 0; i < s.Events.Count; i++)
            {
                previous = EventDigest.Chain(previous, ++version, s.Events[i].Digest);
                rows.Add((s, i, version, previous));
            }
            (exists ? advanced : created).Add((s, version, previous));
        }

        await using (var heads = new NpgsqlBatch(conn, tx))
        {
            if (created.Count > 0)
            {
                var insert = new NpgsqlBatchCommand(
                    $"""
                    insert into {schema}.streams (id, type, version, last_hash)
                    select * from unnest($1::text[], $2::text[], $3::bigint[], $4::bytea[]) order by 1
                    on conflict (id) do nothing returning id
                    """);
                insert.Parameters.Add(new NpgsqlParameter { Value = created.Select(h => h.Stream.Id).ToArray() });
                insert.Parameters.Add(new NpgsqlParameter { Value = created.Select(h => h.Stream.Type).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
                insert.Parameters.Add(new NpgsqlParameter { Value = created.Select(h => h.Version).ToArray() });
                insert.Parameters.Add(new NpgsqlParameter { Value = created.Select(h => h.Hash).ToArray() });
                heads.BatchCommands.Add(insert);
            }
            if (advanced.Count > 0)
            {
                // "st.id = any($1)" makes the planner probe the primary key instead of scanning the table.
                var update = new NpgsqlBatchCommand(
                    $"""
                    update {schema}.streams as st set version = u.version, last_hash = u.hash, updated_at = now()
                      from unnest($1::text[], $2::bigint[], $3::bytea[]) as u(id, version, hash)
                     where st.id = u.id and st.id = any($1)
                    """);
                update.Parameters.Add(new NpgsqlParameter { Value = advanced.Select(h => h.Stream.Id).ToArray() });
                update.Parameters.Add(new NpgsqlParameter { Value = advanced.Select(h => h.Version).ToArray() });
                update.Parameters.Add(new NpgsqlParameter { Value = advanced.Select(h => h.Hash).ToArray() });
                heads.BatchCommands.Add(update);
            }
            await using var r = await heads.ExecuteReaderAsync(ct);
            var inserted = new HashSet<string>(StringComparer.Ordinal);
            while (await r.ReadAsync(ct)) inserted.Add(r.GetString(0));
            // Another writer created one of "our" new streams after the lock query: no position is
            // taken yet, so the caller rolls back and starts over, finding the stream this time.
            if (inserted.Count < created.Count)
                throw new StreamCreatedConcurrentlyException(created.First(c => !inserted.Contains(c.Stream.Id)).Stream.Id);
        }

        var positions = new long[rows.Count];
        await using (var take = new NpgsqlCommand(
            $"select nextval('{schema}.events_seq_seq'::regclass) from generate_series(1, $1)", conn, tx))
        {
            take.Parameters.Add(new NpgsqlParameter { Value = rows.Count });
            await using var r = await take.ExecuteReaderAsync(ct);
            for (var i = 0; await r.ReadAsync(ct); i++) positions[i] = r.GetInt64(0);
        }
        Array.Sort(positions);

        await using (var copy = await conn.BeginBinaryImportAsync(
            $"copy {schema}.events (seq, stream_id, version, type, data, metadata, recorded_at, hash) from stdin (format binary)", ct))
        {
            // Rows go into Npgsql's buffer; awaiting each of 8 fields per row costs more than the rare flush blocks.
            for (var i = 0; i < rows.Count; i++)
            {
                var (s, index, version, hash) = rows[i];
                copy.StartRow();
                copy.Write(positions[i], NpgsqlDbType.Bigint);
                copy.Write(s.Id, NpgsqlDbType.Text);
                copy.Write(version, NpgsqlDbType.Bigint);
                copy.Write(s.Events[index].Type, NpgsqlDbType.Text);
                copy.Write(s.Events[index].Json, NpgsqlDbType.Json);
                copy.Write(metadata, NpgsqlDbType.Json);
                copy.Write(recordedAt, NpgsqlDbType.TimestampTz);
                copy.Write(hash, NpgsqlDbType.Bytea);
            }
            await copy.CompleteAsync(ct);
        }
        return rows.Select((row, i) => new AppendedEvent(row.Stream.Id, row.Version, positions[i])).ToList();
    }
}

/// <summary>A stream this save meant to create appeared meanwhile; the whole save is retried.</summary>
internal sealed class StreamCreatedConcurrentlyException(string streamId) : Exception($"stream '{streamId}' was created concurrently")
{
    public string StreamId { get; } = streamId;
}
