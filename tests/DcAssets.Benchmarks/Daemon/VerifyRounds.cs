using System.Data;
using System.Diagnostics;
using System.Text;
using DcAssets.Integrity;
using Marten;
using static DcAssets.Benchmarks.Daemon.DaemonBenchmarks;

namespace DcAssets.Benchmarks.Daemon;

/// <summary>
/// verify: <see cref="HistoryVerifier"/> (stream chains, global chain, the seal) over the catch-up's events against
/// a raw read of the same rows and columns of mt_events, read as the verifier reads them (target ≥ 0.3).
/// verify.seal, for information: <see cref="Sealer"/> folding the same events into one seal, against the same read.
/// </summary>
internal static class VerifyRounds
{
    private static readonly SealKey Key = new(Encoding.UTF8.GetBytes("benchmark seal key, thirty-two bytes or more"));

    /// <summary>
    /// What the verifier's main query reads of mt_events (jsonb as text, every metadata column on), minus its join
    /// to the hash table: finding and checking the hashes is the integrity layer's cost, so it stays on its side.
    /// </summary>
    private const string RawSql = $"""
        select e.seq_id, e.stream_id, e.version, e.id, e.type, e.timestamp, e.tenant_id, e.data::text, e.bdata,
               e.headers::text, e.correlation_id, e.causation_id, e.user_name
          from {DcAssetsStore.Schema}.mt_events e where e.seq_id > 0 order by e.seq_id
        """;

    public static async Task RunAsync(BenchContext context, DocumentStore store, BenchDatabase db, long total,
        CancellationToken ct)
    {
        List<double> raws = [], seals = [], verifies = [];
        for (var round = 0; round < Rounds; round++)
        {
            raws.Add(await RawReadAsync(db, RawSql, CommandBehavior.SequentialAccess, total, ct));
            seals.Add(await SealAsync(store, db, total, ct));
            verifies.Add(await VerifyAsync(store, total, ct));
        }
        BenchContext.Note($"   {total} events: verify {Seconds(verifies)}; seal {Seconds(seals)}; "
            + $"raw reads {Seconds(raws)}");
        context.Report("verify", total / verifies.Min(), total / raws.Min(), "events/s");
        context.Report("verify.seal", total / seals.Min(), total / raws.Min(), "events/s");
    }

    /// <summary>
    /// One timed seal over every event. Earlier rounds' seals are deleted first (from the integrity layer's table),
    /// or the sealer would find nothing new; the last round's seal stays for the verifier to check.
    /// </summary>
    private static async Task<double> SealAsync(DocumentStore store, BenchDatabase db, long total, CancellationToken ct)
    {
        await db.ExecAsync($"delete from {DcAssetsStore.Schema}.mt_integrity_seals");
        var sw = Stopwatch.StartNew();
        var seal = await new Sealer(store, Key).SealAsync(ct);
        var seconds = sw.Elapsed.TotalSeconds;
        if (seal is not { No: 1, FromSeq: 1 } || seal.EventCount != total)
            throw new InvalidOperationException($"the sealer sealed {seal?.EventCount ?? 0} events, not {total}");
        return seconds;
    }

    private static async Task<double> VerifyAsync(DocumentStore store, long total, CancellationToken ct)
    {
        var sw = Stopwatch.StartNew();
        var result = await new HistoryVerifier(store, Key).VerifyAsync(1, ct);
        var seconds = sw.Elapsed.TotalSeconds;
        if (!result.Intact || result.EventsChecked != total || result.SealsChecked != 1)
            throw new InvalidOperationException($"verify checked {result.EventsChecked} events and "
                + $"{result.SealsChecked} seals, not {total} and 1: {result.First?.Reason ?? "intact"}");
        return seconds;
    }
}
