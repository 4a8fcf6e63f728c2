using DcAssets.EventStore.Daemon;
using DcAssets.EventStore.Projections;
using Npgsql;

namespace DcAssets.EventStore.Integrity;

/// <summary>
/// An async consumer that folds event hashes, in daemon order, into the global chain, and writes a
/// signed seal every N events or T seconds. Its running fold is saved in the same transaction as its
/// position, so a crash neither skips nor repeats an event in the chain.
/// </summary>
public sealed class Sealer(EventStore store, SealingOptions options) : IFeedConsumer
{
    public const string ConsumerName = "sealer";

    public string Name => ConsumerName;
    public DocumentTable? Table => null;
    public bool WantsData(string typeName) => false;

    public async Task ApplyAsync(IReadOnlyList<FeedEvent> page, NpgsqlConnection conn, NpgsqlTransaction tx, string? table, CancellationToken ct)
    {
        var s = store.Schema;
        long lastSeq = 0, count = 0, sealedCount = 0;
        byte[] digest = [];
        var lastSealedAt = DateTimeOffset.UtcNow;
        await using (var load = new NpgsqlCommand($"select last_seq, digest, event_count, sealed_count, last_sealed_at from {s}.seal_chain where id = 1 for update", conn, tx))
        await using (var r = await load.ExecuteReaderAsync(ct))
        {
            if (await r.ReadAsync(ct))
                (lastSeq, digest, count, sealedCount, lastSealedAt) = (r.GetInt64(0), (byte[])r[1], r.GetInt64(2), r.GetInt64(3), r.GetFieldValue<DateTimeOffset>(4));
        }
        if (page.Count == 0 && (count == sealedCount || DateTimeOffset.UtcNow - lastSealedAt < options.Every)) return;

        var batch = new NpgsqlBatch(conn, tx);
        foreach (var e in page)
        {
            if (e.Position <= lastSeq) continue; // already folded (never expected: progress and fold commit together)
            digest = GlobalChain.Step(digest, e.Position, e.Hash);
            count++;
            lastSeq = e.Position;
            if (count - sealedCount >= options.EveryEvents) (sealedCount, lastSealedAt) = Seal(batch, lastSeq, digest, count);
        }
        if (count > sealedCount && DateTimeOffset.UtcNow - lastSealedAt >= options.Every) (sealedCount, lastSealedAt) = Seal(batch, lastSeq, digest, count);

        var save = new NpgsqlBatchCommand(
            $"""
            insert into {s}.seal_chain (id, last_seq, digest, event_count, sealed_count, last_sealed_at) values (1, $1, $2, $3, $4, $5)
            on conflict (id) do update set last_seq = $1, digest = $2, event_count = $3, sealed_count = $4, last_sealed_at = $5
            """);
        foreach (var v in new object[] { lastSeq, digest, count, sealedCount, lastSealedAt }) save.Parameters.Add(new NpgsqlParameter { Value = v });
        batch.BatchCommands.Add(save);
        await using (batch) await batch.ExecuteNonQueryAsync(ct);
    }

    private (long, DateTimeOffset) Seal(NpgsqlBatch batch, long upTo, byte[] digest, long count)
    {
        var now = DateTimeOffset.UtcNow;
        var at = new DateTimeOffset(now.UtcTicks - now.UtcTicks % 10, TimeSpan.Zero);
        var cmd = new NpgsqlBatchCommand(
            $"insert into {store.Schema}.seals (up_to_seq, chain_digest, event_count, sealed_at, key_id, signature) values ($1, $2, $3, $4, $5, $6)");
        foreach (var v in new object[] { upTo, digest, count, at, options.KeyId, GlobalChain.Sign(options.Key, upTo, digest, count, at, options.KeyId) })
            cmd.Parameters.Add(new NpgsqlParameter { Value = v });
        batch.BatchCommands.Add(cmd);
        return (count, at);
    }
}
