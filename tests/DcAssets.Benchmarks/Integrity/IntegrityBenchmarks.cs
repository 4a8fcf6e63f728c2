using System.Text;
using DcAssets.Benchmarks.Marten;
using DcAssets.Integrity;
using Marten;
using static DcAssets.Benchmarks.Append.AppendBenchmarks;

namespace DcAssets.Benchmarks.Integrity;

/// <summary>
/// What the tamper evidence (src/DcAssets.Integrity) costs on top of Marten (issue 11, "Performance"):
/// integrity.append.single and integrity.append.batch: Marten with the hash-chain trigger against plain Marten,
/// the same appends as the marten group's, taking turns in one database (targets: ratio ≥ 0.8);
/// integrity.verify: the verifier against a raw read of the rows it checks (target ≥ 0.3), see
/// <see cref="IntegrityVerify"/>. Sizes: <see cref="MartenSizes"/>.
/// </summary>
public sealed class IntegrityBenchmarks : IBenchmark
{
    public string Group => "integrity";

    /// <summary>The chained store's own schema beside plain Marten's: the trigger sees only its own table.</summary>
    internal const string Schema = "integrity";

    internal static readonly SealKey Key = new(Encoding.UTF8.GetBytes("benchmark seal key, thirty-two bytes or more"));

    public async Task RunAsync(BenchContext context, CancellationToken ct)
    {
        var sizes = MartenSizes.FromEnvironment();
        BenchContext.Note($"   sizes: {sizes}");
        await AppendAsync(context, sizes, ct);
        await IntegrityVerify.RunAsync(context, sizes, ct);
    }

    /// <summary>
    /// Marten exactly as <see cref="PlainMarten"/> sets it up, with the tamper evidence added: the one difference.
    /// Its migration installs the trigger here, before anything is appended.
    /// </summary>
    internal static Task<DocumentStore> CreateChainedAsync(string connectionString, Action<StoreOptions>? configure,
        CancellationToken ct) =>
        PlainMarten.CreateAsync(connectionString, opts =>
        {
            configure?.Invoke(opts);
            opts.AddTamperEvidence();
        }, ct, Schema);

    private static async Task AppendAsync(BenchContext context, MartenSizes sizes, CancellationToken ct)
    {
        await using var db = await BenchDatabase.CreateAsync(context.ConnectionString, "integrity");
        await using var chained = await CreateChainedAsync(db.ConnectionString, configure: null, ct);
        await using var plain = await PlainMarten.CreateAsync(db.ConnectionString, configure: null, ct);

        var batches = await Turns.BatchesAsync(sizes,
            b => PlainMarten.BatchAsync(chained, b, ct), b => PlainMarten.BatchAsync(plain, b, ct));
        BenchContext.Note($"   per batch of {BatchEvents}, ms: with integrity {Spread(batches[0])}; "
            + $"plain {Spread(batches[1])}");
        context.Report("integrity.append.batch", Turns.BatchRate(sizes, batches[0]), Turns.BatchRate(sizes, batches[1]),
            "events/s");

        var per = sizes.SinglePerWriter;
        var singles = await Turns.SingleRoundsAsync(
            (_, w) => PlainMarten.SingleAsync(chained, w, per, ct),
            (_, w) => PlainMarten.SingleAsync(plain, w, per, ct));
        context.Report("integrity.append.single", Turns.SingleRate(sizes, singles[0]),
            Turns.SingleRate(sizes, singles[1]), "events/s");

        // Both sides must have written everything, and the chained side must have chained it: a figure for a
        // trigger that silently did nothing would flatter the integrity layer.
        await PlainMarten.CheckAppendedAsync(db, Turns.Appended(sizes));
        await PlainMarten.CheckAppendedAsync(db, Turns.Appended(sizes), Schema);
        var check = await new HistoryVerifier(chained, Key).VerifyAsync(1, ct);
        if (!check.Intact || check.EventsChecked != Turns.Appended(sizes))
            throw new InvalidOperationException(
                $"the chained appends do not verify ({check.EventsChecked} events checked): {check.First?.Reason}");
    }
}
