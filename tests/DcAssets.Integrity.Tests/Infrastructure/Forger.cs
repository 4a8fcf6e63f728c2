using DcAssets.Testing;
using Npgsql;

namespace DcAssets.Integrity.Tests.Infrastructure;

/// <summary>
/// Edits a copy of the history behind the application's back, as someone with write access to the tables and
/// knowledge of the hash algorithm, but not of the seal key, would.
/// </summary>
public static class Forger
{
    public static Task<long> SeqAsync(TestDatabase db, string stream, long version) =>
        db.ScalarAsync<long>($"select seq_id from mt_events where stream_id = '{stream}' and version = {version}");

    /// <summary>The first sequence number of the sealed range holding <paramref name="seq"/>.</summary>
    public static Task<long> SealRangeStartAsync(TestDatabase db, long seq) =>
        db.ScalarAsync<long>($"select from_seq from mt_integrity_seals where {seq} between from_seq and up_to_seq");

    public static Task DeleteEventAsync(TestDatabase db, string stream, long version) => db.ExecAsync($"""
        delete from mt_events where stream_id = '{stream}' and version = {version};
        delete from mt_integrity_hashes where stream_id = '{stream}' and version = {version};
        """);

    /// <summary>Inserts a correctly chained event (the trigger hashes it) at a sequence number of its choice.</summary>
    public static async Task<long> InsertEventAsync(TestDatabase db, string stream, long? seq, bool updateStreamRow)
    {
        var version =
            await db.ScalarAsync<long>($"select max(version) + 1 from mt_events where stream_id = '{stream}'");
        var at = await db.ScalarAsync<long>($$"""
            insert into mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type)
            values ({{seq?.ToString() ?? "nextval('mt_events_sequence')"}}, gen_random_uuid(), '{{stream}}',
                    {{version}},
                    '{"Room": "R-forged", "Position": 1}', 'thing_moved', now(), '*DEFAULT*', null)
            returning seq_id
            """);
        if (updateStreamRow) await db.ExecAsync($"update mt_streams set version = {version} where id = '{stream}'");
        return at;
    }

    /// <summary>Recomputes a stream's whole chain from what is now stored, so every per-stream check passes.</summary>
    public static async Task RechainStreamAsync(TestDatabase db, string stream)
    {
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        var events = new List<StoredEvent>();
        await using (var read = new NpgsqlCommand($"""
            select seq_id, stream_id, version, id, type, timestamp, tenant_id, data::text, bdata, headers::text,
                   correlation_id, causation_id, user_name
              from mt_events where stream_id = '{stream}' order by version
            """, conn))
        await using (var r = await read.ExecuteReaderAsync())
            while (await r.ReadAsync())
                events.Add(new StoredEvent(r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.GetGuid(3), r.GetString(4),
                    r.GetFieldValue<DateTimeOffset>(5), Text(r, 6), r.GetString(7),
                    r.IsDBNull(8) ? null : (byte[])r[8], Text(r, 9), Text(r, 10), Text(r, 11), Text(r, 12)));
        var previous = Array.Empty<byte>();
        foreach (var e in events)
        {
            previous = CanonicalEvent.Hash(previous, e);
            await using var write = new NpgsqlCommand(
                "update mt_integrity_hashes set hash = $1 where stream_id = $2 and version = $3", conn);
            write.Parameters.Add(new NpgsqlParameter { Value = previous });
            write.Parameters.Add(new NpgsqlParameter { Value = e.StreamId });
            write.Parameters.Add(new NpgsqlParameter { Value = e.Version });
            await write.ExecuteNonQueryAsync();
        }
    }

    private static string? Text(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
