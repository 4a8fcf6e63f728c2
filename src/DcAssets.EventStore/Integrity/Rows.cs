using System.Text;
using DcAssets.EventStore.Hashing;
using Npgsql;

namespace DcAssets.EventStore.Integrity;

/// <summary>A stored seal. <see cref="No"/> is null for seals written before seals were numbered and chained.</summary>
internal sealed record SealRow(long Id, long? No, long UpTo, byte[] Digest, long Count, DateTimeOffset SealedAt, string KeyId, byte[] Signature,
    byte[] PreviousSignature, long TxId)
{
    public string Name => No is { } n ? $"#{n}" : $"(unnumbered, id {Id})";

    public static async Task<List<SealRow>> LoadAsync(NpgsqlConnection conn, string schema, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            $"""
            select id, seal_no, up_to_seq, chain_digest, event_count, sealed_at, key_id, signature, coalesce(prev_signature, ''::bytea), tx_id::text::bigint
              from {schema}.seals order by up_to_seq, seal_no nulls first, id
            """, conn);
        var list = new List<SealRow>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new SealRow(r.GetInt64(0), r.IsDBNull(1) ? null : r.GetInt64(1), r.GetInt64(2), (byte[])r[3], r.GetInt64(4),
                r.GetFieldValue<DateTimeOffset>(5), r.GetString(6), (byte[])r[7], (byte[])r[8], r.GetInt64(9)));
        return list;
    }
}

/// <summary>What the sealer remembers (seal_chain) and how far it has read (its progress row), written together with its seals.</summary>
internal sealed record SealerState(long FoldedUpTo, long FoldedCount, long SealedCount, long LastSealNo, byte[] LastSignature, long Progress)
{
    public static async Task<SealerState?> LoadAsync(NpgsqlConnection conn, string schema, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            $"""
            select c.last_seq, c.event_count, c.sealed_count, c.last_seal_no, c.last_signature,
                   coalesce((select p.last_seq from {schema}.projection_progress p where p.name = '{Sealer.ConsumerName}'), c.last_seq)
              from {schema}.seal_chain c where c.id = 1
            """, conn);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct)
            ? new SealerState(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), (byte[])r[4], r.GetInt64(5))
            : null;
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
    public required long TxId { get; init; }
    public byte[]? Digest { get; set; }

    public static async Task<List<EventRow>> ReadPageAsync(NpgsqlConnection conn, string schema, long after, int max, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            $"select seq, stream_id, version, type, data::text, metadata::text, recorded_at, hash, tx_id::text::bigint from {schema}.events where seq > $1 order by seq limit $2", conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = after });
        cmd.Parameters.Add(new NpgsqlParameter { Value = max });
        var list = new List<EventRow>(max);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new EventRow
            {
                Position = r.GetInt64(0), StreamId = r.GetString(1), Version = r.GetInt64(2), Type = r.GetString(3), Data = r.GetString(4),
                Metadata = r.GetString(5), RecordedAt = r.GetFieldValue<DateTimeOffset>(6), Hash = (byte[])r[7], TxId = r.GetInt64(8),
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
