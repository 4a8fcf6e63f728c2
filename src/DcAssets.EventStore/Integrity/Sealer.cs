using DcAssets.EventStore.Daemon;
using DcAssets.EventStore.Projections;
using Npgsql;

namespace DcAssets.EventStore.Integrity;

/// <summary>
/// An async consumer that folds event hashes, in daemon order, into the global chain, and writes a
/// signed seal every N events or T seconds. Its running fold, and the number and signature of the
/// last seal (which the next one signs), are saved in the same transaction as its position, so a
/// crash neither skips nor repeats an event in the chain nor breaks the chain of seals.
/// </summary>
public sealed class Sealer(EventStore store, SealingOptions options) : IFeedConsumer
{
    public const string ConsumerName = "sealer";

    public string Name => ConsumerName;
    public DocumentTable? Table => null;
    public bool WantsData(string typeName) => false;
    public bool WantsHashes => true;

    public async Task ApplyAsync(IReadOnlyList<FeedEvent> page, NpgsqlConnection conn, NpgsqlTransaction tx, string? table, CancellationToken ct)
    {
        var s = store.Schema;
        var state = new ChainState();
        await using (var load = new NpgsqlCommand(
            $"select last_seq, digest, event_count, sealed_count, last_sealed_at, last_seal_no, last_signature from {s}.seal_chain where id = 1 for update", conn, tx))
        await using (var r = await load.ExecuteReaderAsync(ct))
        {
            if (await r.ReadAsync(ct))
                state = new ChainState
                {
                    LastSeq = r.GetInt64(0), Digest = (byte[])r[1], Count = r.GetInt64(2), SealedCount = r.GetInt64(3),
                    LastSealedAt = r.GetFieldValue<DateTimeOffset>(4), LastSealNo = r.GetInt64(5), LastSignature = (byte[])r[6],
                };
        }
        if (page.Count == 0 && (state.Count == state.SealedCount || DateTimeOffset.UtcNow - state.LastSealedAt < options.Every)) return;

        var batch = new NpgsqlBatch(conn, tx);
        foreach (var e in page)
        {
            if (e.Position <= state.LastSeq) continue; // already folded (never expected: progress and fold commit together)
            state.Digest = GlobalChain.Step(state.Digest, e.Position, e.Hash!);
            state.Count++;
            state.LastSeq = e.Position;
            if (state.Count - state.SealedCount >= options.EveryEvents) Seal(batch, state);
        }
        if (state.Count > state.SealedCount && DateTimeOffset.UtcNow - state.LastSealedAt >= options.Every) Seal(batch, state);

        var save = new NpgsqlBatchCommand(
            $"""
            insert into {s}.seal_chain (id, last_seq, digest, event_count, sealed_count, last_sealed_at, last_seal_no, last_signature)
            values (1, $1, $2, $3, $4, $5, $6, $7)
            on conflict (id) do update set last_seq = $1, digest = $2, event_count = $3, sealed_count = $4, last_sealed_at = $5,
                                           last_seal_no = $6, last_signature = $7
            """);
        foreach (var v in new object[] { state.LastSeq, state.Digest, state.Count, state.SealedCount, state.LastSealedAt, state.LastSealNo, state.LastSignature })
            save.Parameters.Add(new NpgsqlParameter { Value = v });
        batch.BatchCommands.Add(save);
        await using (batch) await batch.ExecuteNonQueryAsync(ct);
    }

    private void Seal(NpgsqlBatch batch, ChainState state)
    {
        var now = DateTimeOffset.UtcNow;
        var at = new DateTimeOffset(now.UtcTicks - now.UtcTicks % 10, TimeSpan.Zero);
        var no = state.LastSealNo + 1;
        var signature = GlobalChain.Sign(options.Key, no, state.LastSeq, state.Digest, state.Count, at, options.KeyId, state.LastSignature);
        var cmd = new NpgsqlBatchCommand(
            $"""
            insert into {store.Schema}.seals (seal_no, up_to_seq, chain_digest, event_count, sealed_at, key_id, signature, prev_signature)
            values ($1, $2, $3, $4, $5, $6, $7, $8)
            """);
        foreach (var v in new object[] { no, state.LastSeq, state.Digest, state.Count, at, options.KeyId, signature, state.LastSignature })
            cmd.Parameters.Add(new NpgsqlParameter { Value = v });
        batch.BatchCommands.Add(cmd);
        (state.SealedCount, state.LastSealedAt, state.LastSealNo, state.LastSignature) = (state.Count, at, no, signature);
    }

    private sealed class ChainState
    {
        public long LastSeq, Count, SealedCount, LastSealNo;
        public byte[] Digest = [], LastSignature = [];
        public DateTimeOffset LastSealedAt = DateTimeOffset.UtcNow;
    }
}
