using DcAssets.Assets;
using Marten;

namespace DcAssets.Faults;

public sealed record ReportFault(ReportFaultCommand Fault);
public sealed record AcknowledgeFault(string FaultId);
public sealed record ClassifyFault(string FaultId, string? Level, string? Reason);
public sealed record ResolveFault(string FaultId, string? Cause, string? Action);
public sealed record CloseFault(string FaultId, string? Note);
public sealed record ReopenFault(string FaultId, string? Reason);

/// <summary>
/// Working a fault: each use case loads the ticket (remembering its version), decides with
/// <see cref="FaultDecisions"/> on the contract's terms and the clock's now, and appends.
/// </summary>
public static class WorkFaults
{
    public static async Task<FaultTicket> Handle(ReportFault c, IDocumentSession s, ContractProfile contract,
        TimeProvider clock, CancellationToken ct)
    {
        var tags = c.Fault.Assets ?? [];
        var known = (await s.LoadManyAsync<Asset>(ct, tags.Where(AssetVocabulary.IsValidTag)
                .Select(AssetVocabulary.StreamId).ToArray()))
            .Select(a => a.Tag).ToHashSet(StringComparer.OrdinalIgnoreCase);
        // Readable on a phone and on paper: the day it was reported and six random hex digits.
        var id = $"F-{clock.GetUtcNow():yyyyMMdd}-{Guid.NewGuid().ToString("N")[..6].ToUpperInvariant()}";
        var reported = FaultDecisions.Report(contract, id, c.Fault, clock.GetUtcNow(), known.Contains);
        s.Events.StartStream(FaultTicket.StreamId(id), reported);
        await s.SaveChangesAsync(ct);
        return FaultFold.Next(null, reported)!;
    }

    public static Task<FaultTicket> Handle(AcknowledgeFault c, IDocumentSession s, TimeProvider clock,
        CancellationToken ct) =>
        ChangeAsync(s, c.FaultId, t => FaultDecisions.Acknowledge(t, clock.GetUtcNow()), ct);

    public static Task<FaultTicket> Handle(ClassifyFault c, IDocumentSession s, ContractProfile contract,
        CancellationToken ct) =>
        ChangeAsync(s, c.FaultId, t => FaultDecisions.Classify(contract, t, c.Level, c.Reason), ct);

    public static Task<FaultTicket> Handle(ResolveFault c, IDocumentSession s, TimeProvider clock,
        CancellationToken ct) =>
        ChangeAsync(s, c.FaultId, t => FaultDecisions.Resolve(t, c.Cause, c.Action, clock.GetUtcNow()), ct);

    public static Task<FaultTicket> Handle(CloseFault c, IDocumentSession s, CancellationToken ct) =>
        ChangeAsync(s, c.FaultId, t => FaultDecisions.Close(t, c.Note), ct);

    public static Task<FaultTicket> Handle(ReopenFault c, IDocumentSession s, CancellationToken ct) =>
        ChangeAsync(s, c.FaultId, t => FaultDecisions.Reopen(t, c.Reason), ct);

    private static async Task<FaultTicket> ChangeAsync(IDocumentSession s, string faultId,
        Func<FaultTicket, object> decide, CancellationToken ct)
    {
        var stream = await s.Events.FetchForWriting<FaultTicket>(FaultTicket.StreamId(faultId), ct);
        if (stream.Aggregate is not { } ticket)
            throw CommandRejected.Field("faultId", Refusal.Of("no_fault", "no fault '{0}'", faultId),
                RejectionKind.NotFound);
        var e = decide(ticket);
        stream.AppendOne(e);
        try { await s.SaveChangesAsync(ct); }
        catch (JasperFx.ConcurrencyException)
        {
            throw CommandRejected.Field("faultId", Refusal.Of("changed_meanwhile",
                "fault '{0}' changed meanwhile: look again", faultId), RejectionKind.Conflict);
        }
        return FaultFold.Next(ticket, e)!;
    }
}
