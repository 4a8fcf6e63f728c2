using DcAssets.Telemetry.Readings;
using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace DcAssets.Benchmarks.Daemon;

/// <summary>
/// daemon.catchup's baseline: counts the readings it is handed and writes nothing, so its figure is the cost of
/// Marten's daemon itself (load, deserialise, dispatch, progress), the least any Marten projection can cost.
/// An explicit ApplyAsync rather than conventional methods: Marten 9 generates no code at run time.
/// </summary>
public sealed class ReadingCounter : EventProjection
{
    public const string ProjectionName = "bench_reading_counter";
    private long _seen;

    public ReadingCounter()
    {
        Name = ProjectionName;
        IncludeType<UpsReadingRecorded>();
    }

    public long Seen => Interlocked.Read(ref _seen);

    public void Reset() => Interlocked.Exchange(ref _seen, 0);

    public override ValueTask ApplyAsync(IDocumentOperations operations, IEvent e, CancellationToken cancellation)
    {
        if (e.Data is UpsReadingRecorded) Interlocked.Increment(ref _seen);
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// daemon.lag's probe, run by the daemon beside the product's async projections: writes each reading's sequence,
/// its server timestamp and the time the daemon applied it, in the daemon's own transaction, so a row exists only
/// once the page it belongs to is projected.
/// </summary>
public sealed class LagLog : EventProjection
{
    public const string Table = "lag_log";

    public LagLog()
    {
        Name = "bench_lag_log";
        IncludeType<UpsReadingRecorded>();
    }

    public override ValueTask ApplyAsync(IDocumentOperations operations, IEvent e, CancellationToken cancellation)
    {
        operations.QueueSqlCommand(
            $"insert into {Table} (seq, recorded_at, projected_at) values (?, ?, clock_timestamp())",
            e.Sequence, e.Timestamp);
        return ValueTask.CompletedTask;
    }
}
