using DcAssets.EventStore.Hashing;
using Npgsql;
using NpgsqlTypes;

namespace DcAssets.EventStore.Storage;

/// <summary>
/// The bulk path for large saves (imports, poll cycles): lock the stream rows, check every expected
/// version in memory, extend the hash chains here, take positions only once all checks passed,
/// then binary COPY the events. Must run inside an explicit transaction.
/// </summary>
internal static class CopyAppend
{
    public sealed record Stream(string Id, string? Type, long? Expected, IReadOnlyList<(string Type, string Json, byte[] Digest)> Events);

    public static async Task<List<AppendedEvent>> ExecuteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string schema,
        IReadOnlyList<Stream> streams, string metadata, DateTimeOffset recordedAt, CancellationToken ct)
    {
        // Creates missing stream rows, then locks them all, both in id order: every writer takes its
        // locks in the same global order (no deadlocks), and a concurrent creator of a stream simply
        // waits for the first. Plain locks write no new row versions; the final update writes once.
        var current = new Dictionary<string, (long Version, byte[]? Hash, bool Archived)>(StringComparer.Ordinal);
        await using (var lockRows = new NpgsqlBatch(conn, tx))
        {
            var create = new NpgsqlBatchCommand(
                $"insert into {schema}.streams (id, type, version) select u.id, u.type, 0 from unnest($1::text[], $2::text[]) as u(id, type) order by u.id on conflict (id) do nothing");
            create.Parameters.Add(new NpgsqlParameter { Value = streams.Select(s => s.Id).ToArray() });
            create.Parameters.Add(new NpgsqlParameter { Value = streams.Select(s => s.Type).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            var select = new NpgsqlBatchCommand($"select id, version, last_hash, archived from {schema}.streams where id = any($1) order by id for update");
            select.Parameters.Add(new NpgsqlParameter { Value = streams.Select(s => s.Id).ToArray() });
            lockRows.BatchCommands.Add(create);
            lockRows.BatchCommands.Add(select);
            await using var r = await lockRows.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
                current[r.GetString(0)] = (r.GetInt64(1), r.IsDBNull(2) ? null : (byte[])r[2], r.GetBoolean(3));
        }

        var rows = new List<(Stream Stream, int Index, long Version, byte[] Hash)>();
        var heads = new List<(string Id, long Version, byte[] Hash)>();
        foreach (var s in streams)
        {
            var (version, hash, archived) = current.GetValueOrDefault(s.Id);
            if (archived) throw new StreamArchivedException(s.Id);
            if (s.Expected is { } expected && expected != version) throw new ConcurrencyException(s.Id, expected, version);
            var previous = hash ?? [];
            for (var i = 0; i < s.Events.Count; i++)
            {
                previous = EventDigest.Chain(previous, ++version, s.Events[i].Digest);
                rows.Add((s, i, version, previous));
            }
            heads.Add((s.Id, version, previous));
        }

        await using (var advance = new NpgsqlCommand(
            $"""
            update {schema}.streams as st set version = u.version, last_hash = u.hash, updated_at = now()
              from unnest($1::text[], $2::bigint[], $3::bytea[]) as u(id, version, hash) where st.id = u.id
            """, conn, tx))
        {
            advance.Parameters.Add(new NpgsqlParameter { Value = heads.Select(h => h.Id).ToArray() });
            advance.Parameters.Add(new NpgsqlParameter { Value = heads.Select(h => h.Version).ToArray() });
            advance.Parameters.Add(new NpgsqlParameter { Value = heads.Select(h => h.Hash).ToArray() });
            await advance.ExecuteNonQueryAsync(ct);
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
