using System.Text;
using DcAssets.EventStore.Hashing;
using Npgsql;

namespace DcAssets.EventStore.Integrity;

internal sealed record SealRow(long Id, long UpTo, byte[] Digest, long Count, DateTimeOffset SealedAt, string KeyId, byte[] Signature)
{
    public static async Task<List<SealRow>> LoadAsync(EventStore store, CancellationToken ct)
    {
        await using var cmd = store.DataSource.CreateCommand(
            $"select id, up_to_seq, chain_digest, event_count, sealed_at, key_id, signature from {store.Schema}.seals order by up_to_seq, id");
        var list = new List<SealRow>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new SealRow(r.GetInt64(0), r.GetInt64(1), (byte[])r[2], r.GetInt64(3), r.GetFieldValue<DateTimeOffset>(4), r.GetString(5), (byte[])r[6]));
        return list;
    }
}

internal sealed class EventRow
{
    public required long Position { get; init; }
    public required string StreamId { get; init; }
    public required long Version { get; init; }
    public required string Type { get; init; }
    public required string Data { get; init; }
    public required string Metadata { get; init; }
    public required DateTimeOffset RecordedAt { get; init; }
    public required byte[] Hash { get; init; }
    public byte[]? Digest { get; set; }

    public static async Task<List<EventRow>> ReadPageAsync(EventStore store, long after, int max, CancellationToken ct)
    {
        await using var cmd = store.DataSource.CreateCommand(
            $"select seq, stream_id, version, type, data::text, metadata::text, recorded_at, hash from {store.Schema}.events where seq > $1 order by seq limit $2");
        cmd.Parameters.Add(new NpgsqlParameter { Value = after });
        cmd.Parameters.Add(new NpgsqlParameter { Value = max });
        var list = new List<EventRow>(max);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new EventRow
            {
                Position = r.GetInt64(0), StreamId = r.GetString(1), Version = r.GetInt64(2), Type = r.GetString(3), Data = r.GetString(4),
                Metadata = r.GetString(5), RecordedAt = r.GetFieldValue<DateTimeOffset>(6), Hash = (byte[])r[7],
            });
        return list;
    }

    /// <summary>The content digests are independent of each other, so they are computed on every core.</summary>
    public static void ComputeDigests(List<EventRow> rows) =>
        Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, rows.Count, 256), range =>
        {
            string? lastMeta = null;
            byte[] metaBytes = [];
            for (var i = range.Item1; i < range.Item2; i++)
            {
                var row = rows[i];
                // Events of one save share their metadata; encode it once.
                if (row.Metadata != lastMeta)
                {
                    lastMeta = row.Metadata;
                    metaBytes = Encoding.UTF8.GetBytes(row.Metadata);
                }
                row.Digest = EventDigest.Compute(row.StreamId, row.Type, Encoding.UTF8.GetBytes(row.Data), metaBytes, row.RecordedAt);
            }
        });
}
