using System.CommandLine;
using System.Globalization;
using DcAssets.Integrity;

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
        var from = new Option<string>("--from")
        {
            Description = "check incrementally, from the last seal before this position"
        };
        var command = new Command("verify",
            "recompute every hash chain and check it against the signed seals") { from };
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
        using var store = CliStore.OpenMarten();
        var sealing = SealingOptions.FromEnvironment();
        if (sealing is null)
            Console.Error.WriteLine($"warning: no seal key ({SealingOptions.KeyFileVariable} or " +
                $"{SealingOptions.KeyVariable}); checking stream chains only");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Marten's sequence numbers start at 1; --from 0 means everything, as it always did.
        var report = await new HistoryVerifier(store, sealing?.Key).VerifyAsync(Math.Max(from, 1), ct);
        var seconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"checked {report.EventsChecked} events and {report.SealsChecked} seals from position {from} " +
            $"in {seconds:0.00}s ({report.EventsChecked / Math.Max(seconds, 0.001):0} events/s)"));
        if (report.Intact)
        {
            Console.WriteLine("intact");
            return Intact;
        }
        string At(Problem p) => p.Seq?.ToString(CultureInfo.InvariantCulture) ?? "(stream record)";
        Console.WriteLine($"TAMPERED: first mismatch at position {At(report.First!)}: {report.First!.Reason}");
        foreach (var p in report.Problems.OrderBy(p => p.Seq ?? long.MaxValue).Skip(1).Take(19))
            Console.WriteLine($"  also at {At(p)}: {p.Reason}");
        if (report.Problems.Count > 20) Console.WriteLine($"  … and {report.Problems.Count - 20} more");
        return Tampered;
    }
}
