using System.Text.Json;
using Npgsql;

namespace DcAssets.EventStore.Projections;

/// <summary>
/// Folds events into documents. The same projection can run inline (in the appending transaction)
/// or asynchronously (by the daemon); it only ever sees events in store order.
/// </summary>
public interface IProjection
{
    /// <summary>Stable name: the document table is doc_{Name} and progress is kept under it.</summary>
    string Name { get; }
    Type DocumentType { get; }
    IReadOnlyList<DocumentIndex> Indexes { get; }

    /// <summary>Whether the table also keeps each document's JSON text (see <see cref="DocumentTable.KeepsJsonText"/>).</summary>
    bool KeepsJsonText => false;

    bool Handles(Type eventType);

    /// <summary>Applies events to the documents in <paramref name="table"/> inside <paramref name="tx"/>.</summary>
    Task ApplyAsync(IReadOnlyList<StoredEvent> events, ProjectionWrite write, CancellationToken ct);
}

/// <summary>Where a projection batch writes: connection, transaction, target table and JSON options.</summary>
public sealed record ProjectionWrite(NpgsqlConnection Connection, NpgsqlTransaction Transaction, string Table, JsonSerializerOptions Json)
{
    /// <summary>
    /// True when nothing else writes <see cref="Table"/> meanwhile (the daemon's runner, holding the
    /// lease, or a rebuild's own shadow); inline projections run in concurrent appends and must lock.
    /// </summary>
    public bool SoleWriter { get; init; }
}
