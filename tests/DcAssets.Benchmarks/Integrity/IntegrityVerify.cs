using System.Data;
using System.Diagnostics;
using DcAssets.Benchmarks.Daemon;
using DcAssets.Benchmarks.Marten;
using DcAssets.Integrity;
using JasperFx.Events.Daemon;
using Marten;
using static DcAssets.Benchmarks.Integrity.IntegrityBenchmarks;

namespace DcAssets.Benchmarks.Integrity;

/// <summary>
/// integrity.verify: <see cref="HistoryVerifier"/> over the catch-up's events (the daemon group's, loaded into the
/// chained store and sealed first) against a raw read of the same rows and the same columns of mt_events, as the
/// verifier reads them. integrity.seal, for information: <see cref="Sealer"/> folding the same events into one seal,
/// against the same raw read. Rounds alternate the sides and the best of each is reported, every round printed.
/// </summary>
internal static class IntegrityVerify
{
    public static async Task RunAsync(BenchContext context, MartenSizes sizes, CancellationToken ct)
    {
        var total = sizes.CatchUpEvents;
        await using var db = await BenchDatabase.CreateAsync(context.ConnectionString, "iverify");
        // The daemon only moves the high-water mark here; the benchmark runs it, as the marten group's catch-up does.
        await using var store = await CreateChainedAsync(db.ConnectionString,
            opts => opts.Projections.AsyncMode = DaemonMode.ExternallyManaged, ct);
        await MartenCatchUp.LoadAsync(store, db, total, ct);
        await HighWaterAsync(store, db, ct);

        List<double> raws = [], seals = [], verifies = [];
        for (var round = 0; round < DaemonBenchmarks.Rounds; round++)
        {
            raws.Add(await MartenCatchUp.RawReadAsync(db, RawSql, CommandBehavior.SequentialAccess, total, ct));
            seals.Add(await SealAsync(store, db, total, ct));
            verifies.Add(await VerifyAsync(store, total, ct));
        }
        BenchContext.Note($"   {total} events: verify {DaemonBenchmarks.Seconds(verifies)}; "
            + $"seal {DaemonBenchmarks.Seconds(seals)}; raw reads {DaemonBenchmarks.Seconds(raws)}");
        context.Report("integrity.verify", total / verifies.Min(), total / raws.Min(), "events/s");
        context.Report("integrity.seal", total / seals.Min(), total / raws.Min(), "events/s");
    }

    /// <summary>
    /// What the verifier's main query reads of mt_events (jsonb as text, every metadata column on), minus its join
    /// to the hash table: finding and checking the hashes is the integrity layer's cost, so it stays on its side.
    /// </summary>
    private const string RawSql = $"""
        select e.seq_id, e.stream_id, e.version, e.id, e.type, e.timestamp, e.tenant_id, e.data::text, e.bdata,
               e.headers::text, e.correlation_id, e.causation_id, e.user_name
          from {Schema}.mt_events e where e.seq_id > 0 order by e.seq_id
        """;

    /// <summary>
    /// The sealer seals only up to Marten's high-water mark, which only the async daemon advances: run it (no
    /// projections, so it does nothing else) until the mark reaches the last event. Not timed.
    /// </summary>
    private static async Task HighWaterAsync(DocumentStore store, BenchDatabase db, CancellationToken ct)
    {
        var caughtUp = $"""
            select coalesce((select last_seq_id from {Schema}.mt_event_progression where name = 'HighWaterMark'), 0)
                   >= (select max(seq_id) from {Schema}.mt_events)
            """;
        var deadline = Stopwatch.StartNew();
        using var daemon = await store.BuildProjectionDaemonAsync();
        await daemon.StartAllAsync();
        while (!await db.ScalarAsync<bool>(caughtUp))
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(5))
                throw new TimeoutException("Marten's high-water mark did not reach the last event in 5 minutes");
            await Task.Delay(50, ct);
        }
        await daemon.StopAllAsync();
    }

    /// <summary>
    /// One timed seal over every event. The seals of earlier rounds are deleted first (from the integrity layer's
    /// table), or the sealer would find nothing new; the last round's seal stays for the verifier to check.
    /// </summary>
    private static async Task<double> SealAsync(DocumentStore store, BenchDatabase db, long total,
        CancellationToken ct)
    {
        await db.ExecAsync($"delete from {Schema}.mt_integrity_seals");
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
