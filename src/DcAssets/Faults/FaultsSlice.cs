using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;

namespace DcAssets.Faults;

/// <summary>The fault tickets' contribution to the store: stable event names, use cases and the fault board.</summary>
public static class FaultsSlice
{
    /// <summary>Events of faults' streams, by their stored names (never change them).</summary>
    public static readonly IReadOnlyList<(Type Type, string Name)> Events =
    [
        (typeof(FaultReported), "fault_reported"), (typeof(FaultClassified), "fault_classified"),
        (typeof(FaultAcknowledged), "fault_acknowledged"), (typeof(FaultResolved), "fault_resolved"),
        (typeof(FaultClosed), "fault_closed"), (typeof(FaultReopened), "fault_reopened"),
    ];

    public static readonly IReadOnlyList<Type> UseCases = [typeof(WorkFaults)];

    /// <summary>
    /// The fault board (document alias "faults"), inline: a fault reported is listed in the same commit.
    /// </summary>
    public static void Register(StoreOptions options)
    {
        options.Schema.For<FaultTicket>().DocumentAlias(FaultBoardProjection.Alias);
        options.Projections.Add(new FaultBoardProjection(), ProjectionLifecycle.Inline);
    }
}

/// <summary>Every fault as it stands now, one document per fault stream.</summary>
public sealed class FaultBoardProjection : SingleStreamProjection<FaultTicket, string>
{
    public const string Alias = "faults";

    public FaultBoardProjection()
    {
        foreach (var (type, _) in FaultsSlice.Events) IncludeType(type);
    }

    public override FaultTicket? Evolve(FaultTicket? snapshot, string id, IEvent e) => FaultFold.Next(snapshot, e.Data);
}
