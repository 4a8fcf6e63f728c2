using DcAssets.Telemetry.Alarms;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.Events.Projections;
using Marten;
using Marten.Subscriptions;

namespace DcAssets.Faults;

/// <summary>
/// A major alarm (a UPS on battery, a UPS that stopped answering) opens a major fault by itself, its clock started at
/// the poll that raised the alarm, not when someone noticed. A Marten subscription, run by whichever node Wolverine
/// gives it; the fault's stream is named after the alarm, so an alarm read twice (a node dying between opening the
/// fault and recording its progress) opens one fault.
/// </summary>
public sealed class AlarmsOpenFaults : SubscriptionBase
{
    public const string SubscriptionTitle = "alarms_open_faults";
    private static readonly Actor Opener = Actor.System("alarm");
    private readonly ContractProfile _contract;

    public AlarmsOpenFaults(ContractProfile contract)
    {
        _contract = contract;
        Name = SubscriptionTitle;
        IncludeType<AlarmRaised>();
    }

    /// <summary>The fault an alarm opens: one per alarm, named after it.</summary>
    public static string FaultIdOf(string alarmId) => "A-" + alarmId;

    /// <summary>Which alarms open a fault, and of which level: the major ones, as major faults.</summary>
    public static ReportFaultCommand? Decide(AlarmRaised a) =>
        a.Severity == FaultLevel.Major
            ? new ReportFaultCommand("major", a.Message, [a.AssetId], a.AlarmId, FaultSource.Alarm, a.RaisedAt)
            : null;

    public override async Task<IChangeListener> ProcessEventsAsync(EventRange page, ISubscriptionController controller,
        IDocumentOperations operations, CancellationToken ct)
    {
        foreach (var e in page.Events)
        {
            if (e.Data is not AlarmRaised alarm || Decide(alarm) is not { } report) continue;
            await using var s = operations.DocumentStore.OpenSession(Opener);
            // Decided as of the alarm: its asset is the polled one, its moment the poll's.
            var reported = FaultDecisions.Report(_contract, FaultIdOf(alarm.AlarmId), report, alarm.RaisedAt,
                _ => true);
            s.Events.StartStream(FaultTicket.StreamId(reported.FaultId), reported);
            try { await s.SaveChangesAsync(ct); }
            catch (Marten.Exceptions.ExistingStreamIdCollisionException) { } // opened when the alarm was read before
        }
        return NullChangeListener.Instance;
    }
}
