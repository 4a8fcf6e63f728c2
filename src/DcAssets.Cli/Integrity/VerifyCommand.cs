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
        if (report.Intact)
        {
            Console.WriteLine("intact");
            return Intact;
        }
        var first = report.First!;
        Console.WriteLine($"TAMPERED: first mismatch at position {first.Position?.ToString(CultureInfo.InvariantCulture) ?? "(stream record)"}: {first.Reason}");
        foreach (var p in report.Problems.OrderBy(p => p.Position ?? long.MaxValue).Skip(1).Take(19))
            Console.WriteLine($"  also at {p.Position?.ToString(CultureInfo.InvariantCulture) ?? "-"}: {p.Reason}");
        if (report.Problems.Count > 20) Console.WriteLine($"  … and {report.Problems.Count - 20} more");
        return Tampered;
    }
}
