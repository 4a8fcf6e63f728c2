using System.Text;
using DcAssets.EventStore.Hashing;
using Npgsql;

namespace DcAssets.EventStore.Tests.Infrastructure;

/// <summary>
/// Edits a <see cref="SealedHistory"/> copy behind the application's back, the way someone with
/// write access to the tables (and knowledge of the hash algorithm, but not of the seal key) would.
/// Each returns the position verify must name.
/// </summary>
public static class Tampering
{
    public static readonly string[] Kinds =
    [
        "update data", "update metadata", "delete event", "insert forged event", "forged event in a burnt position",
        "forged event in a burnt position with an old transaction id", "rewritten stream chain", "rewritten seal",
        "deleted seal", "deleted last seals",
    ];

    public static async Task<long> ApplyAsync(TestDatabase db, string kind, long burnt)
    {
        var target = await PositionAsync(db, "audit-2", 20);
        switch (kind)
        {
            case "update data":
                await db.ExecAsync($"update dcassets.events set data = jsonb_set(data::jsonb, '{{room}}', '\"R99\"')::json where seq = {target}");
                return target;
            case "update metadata":
                await db.ExecAsync($"update dcassets.events set metadata = jsonb_set(metadata::jsonb, '{{actorName}}', '\"Someone Else\"')::json where seq = {target}");
                return target;
            case "delete event":
                await db.ExecAsync($"delete from dcassets.events where seq = {target}");
                return await PositionAsync(db, "audit-2", 21); // the next event no longer follows its predecessor
            case "insert forged event":
                // Perfectly chained, at a new position, but the stream record is left as it was.
                return await ForgeAsync(db, "audit-2", position: null, updateStream: false, oldTxId: false);
            case "forged event in a burnt position":
                // Chained onto a stream that ends before the burnt position, its stream record updated to match:
                // every per-stream check passes; only the seals can tell.
                return await ForgeAsync(db, "audit-early", burnt, updateStream: true, oldTxId: false);
            case "forged event in a burnt position with an old transaction id":
                await ForgeAsync(db, "audit-early", burnt, updateStream: true, oldTxId: true);
                return await SealRangeStartAsync(db, burnt); // the seal's count names its range
            case "rewritten stream chain":
                await RewriteStreamAsync(db, "audit-2", fromVersion: 20);
                return await SealRangeStartAsync(db, target);
            case "rewritten seal":
                await db.ExecAsync("update dcassets.seals set event_count = event_count + 1 where seal_no = 3");
                return await db.ScalarAsync<long>("select up_to_seq from dcassets.seals where seal_no = 3");
            case "deleted seal":
                await db.ExecAsync("delete from dcassets.seals where seal_no = 3");
                return await db.ScalarAsync<long>("select up_to_seq + 1 from dcassets.seals where seal_no = 2");
            case "deleted last seals":
                await db.ExecAsync("delete from dcassets.seals where seal_no > (select max(seal_no) - 2 from dcassets.seals)");
                return await db.ScalarAsync<long>("select max(up_to_seq) + 1 from dcassets.seals");
            default:
                throw new ArgumentException($"no tampering named '{kind}'");
        }
    }

    public static async Task<long> PositionAsync(TestDatabase db, string stream, int version) =>
        await db.ScalarAsync<long>($"select seq from dcassets.events where stream_id = '{stream}' and version = {version}");

    /// <summary>The first position of the sealed range that holds <paramref name="position"/>.</summary>
    public static async Task<long> SealRangeStartAsync(TestDatabase db, long position) =>
        await db.ScalarAsync<long>($"select coalesce(max(up_to_seq), 0) + 1 from dcassets.seals where up_to_seq < {position}");

    private static async Task<long> ForgeAsync(TestDatabase db, string stream, long? position, bool updateStream, bool oldTxId)
    {
        var (version, lastHash) = (await db.ScalarAsync<long>($"select max(version) from dcassets.events where stream_id = '{stream}'") + 1,
            await db.ScalarAsync<byte[]>($"select hash from dcassets.events where stream_id = '{stream}' order by version desc limit 1"));
        var at = DateTimeOffset.UtcNow;
        at = new DateTimeOffset(at.UtcTicks - at.UtcTicks % 10, TimeSpan.Zero);
        const string data = """{"room":"R-forged","position":1}""";
        const string meta = """{"actorId":"u-42","actorName":"Li Wei"}""";
        var hash = EventDigest.Chain(lastHash, version, EventDigest.Compute(stream, "thing_moved", Encoding.UTF8.GetBytes(data), Encoding.UTF8.GetBytes(meta), at));
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using var cmd = new NpgsqlCommand(
            """
            insert into dcassets.events (seq, stream_id, version, type, data, metadata, recorded_at, hash, tx_id)
            values (coalesce($7, nextval('dcassets.events_seq_seq')), $1, $2, 'thing_moved', $3::json, $4::json, $5, $6,
                    case when $8 then (select tx_id from dcassets.events order by seq limit 1) else pg_current_xact_id() end)
            returning seq
            """, conn, tx);
        foreach (var v in new object[] { stream, version, data, meta, at, hash }) cmd.Parameters.Add(new NpgsqlParameter { Value = v });
        cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)position ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        cmd.Parameters.Add(new NpgsqlParameter { Value = oldTxId });
        var seq = (long)(await cmd.ExecuteScalarAsync())!;
        if (updateStream)
        {
            await using var head = new NpgsqlCommand("update dcassets.streams set version = $1, last_hash = $2 where id = $3", conn, tx);
            foreach (var v in new object[] { version, hash, stream }) head.Parameters.Add(new NpgsqlParameter { Value = v });
            await head.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
        return seq;
    }

    // Change an event and recompute its stream's whole chain and head: every per-stream check passes.
    private static async Task RewriteStreamAsync(TestDatabase db, string stream, int fromVersion)
    {
        await db.ExecAsync($"update dcassets.events set data = jsonb_set(data::jsonb, '{{room}}', '\"R-rewritten\"')::json where stream_id = '{stream}' and version = {fromVersion}");
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        var rows = new List<(long Seq, long Version, string Type, string Data, string Meta, DateTimeOffset At)>();
        await using (var read = new NpgsqlCommand($"select seq, version, type, data::text, metadata::text, recorded_at from dcassets.events where stream_id = '{stream}' order by version", conn))
        await using (var r = await read.ExecuteReaderAsync())
            while (await r.ReadAsync()) rows.Add((r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetFieldValue<DateTimeOffset>(5)));
        var previous = Array.Empty<byte>();
        foreach (var row in rows)
        {
            previous = EventDigest.Chain(previous, row.Version,
                EventDigest.Compute(stream, row.Type, Encoding.UTF8.GetBytes(row.Data), Encoding.UTF8.GetBytes(row.Meta), row.At));
            await using var write = new NpgsqlCommand("update dcassets.events set hash = $1 where seq = $2", conn);
            write.Parameters.Add(new NpgsqlParameter { Value = previous });
            write.Parameters.Add(new NpgsqlParameter { Value = row.Seq });
            await write.ExecuteNonQueryAsync();
        }
        await using var head = new NpgsqlCommand($"update dcassets.streams set last_hash = $1 where id = '{stream}'", conn);
        head.Parameters.Add(new NpgsqlParameter { Value = previous });
        await head.ExecuteNonQueryAsync();
    }
}
