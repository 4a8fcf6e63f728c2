using System.CommandLine;
using System.Globalization;
using DcAssets.EventStore.Integrity;

namespace DcAssets.Cli.Integrity;

/// <summary>
/// <c>dcassets verify [--from POSITION]</c>: exit 0 when the history is intact, 1 naming the first
/// position that is not, 2 when it could not be checked (bad option, database unreachable), so a
/// script never mistakes an outage for tampering or the reverse.
/// </summary>
public sealed class VerifyCommand : ICliModule
{
    public const int Intact = 0, Tampered = 1, CouldNotCheck = 2;

    public Command Build()
    {
        // Taken as text: a parse error would exit 1, which here means tampered; a bad --from cannot check.
        var from = new Option<string>("--from") { Description = "check incrementally, from the last seal before this position" };
        var command = new Command("verify", "recompute every hash chain and check it against the signed seals") { from };
        command.SetAction(async (ParseResult pr, CancellationToken ct) =>
        {
            try
            {
                return await RunAsync(ParseFrom(pr.GetValue(from)), ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var message = ex.Message.Split('\n', 2)[0].TrimEnd();
                Console.Error.WriteLine($"error: verify could not check the history: {message}");
                return CouldNotCheck;
            }
        });
        return command;
    }

    /// <summary>
    /// People and sign-ins live on Marten already (the other slices follow): their chains and seals are checked as a
    /// whole, with the same seal key. Null when there is no key or no Marten history in this database yet.
    /// </summary>
    private static async Task<DcAssets.Integrity.VerifyResult?> VerifyMartenAsync(EventStore.EventStore store,
        CancellationToken ct)
    {
        if (store.Options.Sealing is not { } sealing) return null;
        var exists = $"select to_regclass('{store.Schema}.mt_events') is not null";
        await using (var cmd = store.DataSource.CreateCommand(exists))
            if (!(bool)(await cmd.ExecuteScalarAsync(ct))!) return null;
        using var marten = CliStore.OpenMarten();
        var verifier = new DcAssets.Integrity.HistoryVerifier(marten, new DcAssets.Integrity.SealKey(sealing.Key));
        var result = await verifier.VerifyAsync(1, ct);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"people and sign-ins (Marten): checked {result.EventsChecked} events and {result.SealsChecked} seals"));
        return result;
    }

    private static long ParseFrom(string? text) =>
        text is null ? 0
        : long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var position) ? position
        : throw new ArgumentException($"--from must be a position (0 or more), not '{text}'");

    private static async Task<int> RunAsync(long from, CancellationToken ct)
    {
        await using var store = await CliStore.OpenAsync(ct);
        if (store.Options.Sealing is null)
            Console.Error.WriteLine($"warning: no seal key ({SealingOptions.KeyFileVariable} or {SealingOptions.KeyVariable}); checking stream chains only");
        var report = await new HistoryVerifier(store, store.Options.Sealing).VerifyAsync(from, null, ct);
        var rate = report.EventsChecked / Math.Max(report.Elapsed.TotalSeconds, 0.001);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"checked {report.EventsChecked} events in {report.StreamsChecked} streams and {report.SealsChecked} seals from position {report.FromPosition} in {report.Elapsed.TotalSeconds:0.00}s ({rate:0} events/s)"));
        var people = await VerifyMartenAsync(store, ct);
        if (report.Intact && people is not { Intact: false })
        {
            Console.WriteLine("intact");
            return Intact;
        }
        if (report.Intact)
        {
            var bad = people!.First!;
            Console.WriteLine($"TAMPERED: people and sign-ins, first mismatch at sequence {bad.Seq?.ToString(CultureInfo.InvariantCulture) ?? "-"}: {bad.Reason}");
            return Tampered;
        }
        var first = report.First!;
        Console.WriteLine($"TAMPERED: first mismatch at position {first.Position?.ToString(CultureInfo.InvariantCulture) ?? "(stream record)"}: {first.Reason}");
        foreach (var p in report.Problems.OrderBy(p => p.Position ?? long.MaxValue).Skip(1).Take(19))
            Console.WriteLine($"  also at {p.Position?.ToString(CultureInfo.InvariantCulture) ?? "-"}: {p.Reason}");
        if (report.Problems.Count > 20) Console.WriteLine($"  … and {report.Problems.Count - 20} more");
        return Tampered;
    }
}
