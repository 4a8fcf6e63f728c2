using Marten;
using Npgsql;

namespace DcAssets.Integrity;

/// <summary>
/// Folds every event's stream hash, in sequence order, into the global chain and writes the next numbered
/// seal over what it folded, signed with a key the database never sees. Call it on a timer.
/// </summary>
/// <remarks>
/// It seals no further than Marten's high-water mark, which the async daemon (running anywhere against
/// this database) advances only over committed events and over gaps it has proven dead (rolled back):
/// a sequence number a running transaction could still fill is never inside a seal. So the sealer
/// advances only while a daemon runs, and a seal is always consistent with what projections have seen.
/// </remarks>
public sealed class Sealer(IDocumentStore store, SealKey key)
{
    // Any constant: it only keeps two sealers from numbering the same seal at once.
    private const long SealerLock = 0x5EA1_C4A1_0001;
    private readonly string _schema = store.Options.Events.DatabaseSchemaName;

    /// <summary>Seals up to the current safe point; returns the new seal, or null when nothing new is safe.</summary>
    public async Task<Seal?> SealAsync(CancellationToken ct = default)
    {
        await using var conn = store.Storage.Database.CreateConnection();
        await conn.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var lockCmd = new NpgsqlCommand($"select pg_advisory_xact_lock({SealerLock})", conn, tx))
            await lockCmd.ExecuteNonQueryAsync(ct);

        var last = await LastSealAsync(conn, tx, ct);
        if (last is not null && !GlobalChain.Sign(key, last).AsSpan().SequenceEqual(last.Signature))
            throw new InvalidOperationException(
                $"seal #{last.No} does not carry this key's signature: run the verifier before sealing further");

        var from = (last?.UpToSeq ?? 0) + 1;
        var safe = await HighWaterMarkAsync(conn, tx, ct);
        if (safe < from) return null;

        var head = last?.ChainHead ?? [];
        long count = 0, upTo = 0;
        await using (var read = new NpgsqlCommand($"""
            select e.seq_id, h.hash from {_schema}.mt_events e
              left join {_schema}.{Names.Hashes} h on h.stream_id = e.stream_id and h.version = e.version
             where e.seq_id between $1 and $2 order by e.seq_id
            """, conn, tx))
        {
            read.Parameters.Add(new NpgsqlParameter { Value = from });
            read.Parameters.Add(new NpgsqlParameter { Value = safe });
            await using var r = await read.ExecuteReaderAsync(ct);
            // An event without a hash is folded as empty: the seal does not bless it, the verifier names it.
            while (await r.ReadAsync(ct))
            {
                upTo = r.GetInt64(0);
                head = GlobalChain.Step(head, upTo, r.IsDBNull(1) ? [] : (byte[])r[1]);
                count++;
            }
        }
        if (count == 0) return null; // only dead gaps so far: the next seal starts before them, and covers them

        var now = DateTimeOffset.UtcNow;
        var unsigned = new Seal((last?.No ?? 0) + 1, from, upTo, count, head, last?.Signature ?? [],
            DateTimeOffset.FromUnixTimeMilliseconds(now.ToUnixTimeMilliseconds()), key.Id, []);
        var seal = unsigned with { Signature = GlobalChain.Sign(key, unsigned) };
        await using (var insert = new NpgsqlCommand($"""
            insert into {_schema}.{Names.Seals} ({Seal.Columns})
            values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """, conn, tx))
        {
            foreach (var value in new object[] { seal.No, seal.FromSeq, seal.UpToSeq, seal.EventCount, seal.ChainHead,
                         seal.PreviousSignature, seal.SealedAt, seal.KeyId, seal.Signature })
                insert.Parameters.Add(new NpgsqlParameter { Value = value });
            await insert.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return seal;
    }

    private async Task<Seal?> LastSealAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            $"select {Seal.Columns} from {_schema}.{Names.Seals} order by seal_no desc limit 1", conn, tx);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? Seal.Read(r) : null;
    }

    private async Task<long> HighWaterMarkAsync(NpgsqlConnection conn, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            $"select last_seq_id from {_schema}.mt_event_progression where name = 'HighWaterMark'", conn, tx);
        return await cmd.ExecuteScalarAsync(ct) is long mark ? mark : 0;
    }
}
