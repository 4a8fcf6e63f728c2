using JasperFx.Events;
using Marten.Events.Projections;

namespace DcAssets.Telemetry.Readings;

/// <summary>Min/avg/max of one reading over one period; the sum is kept so later events fold in exactly.</summary>
public sealed record RollupStats(string Unit, double Min, double Max, double Sum, long Count)
{
    public double Avg => Count == 0 ? 0 : Sum / Count;

    public RollupStats Add(double v) => new(Unit, Math.Min(Min, v), Math.Max(Max, v), Sum + v, Count + 1);

    public static RollupStats First(string unit, double v) => new(unit, v, v, v, 1);
}

/// <summary>Every reading of one device over one period (an hour or a UTC day), kept for years.</summary>
public abstract record ReadingRollup
{
    /// <summary><see cref="Key"/>: asset and period start, so a device's range of periods is a range of ids.</summary>
    public string Id { get; init; } = "";
    public string AssetId { get; init; } = "";
    public DateTimeOffset Start { get; init; }
    public IReadOnlyDictionary<string, RollupStats> Readings { get; init; } = new Dictionary<string, RollupStats>();

    public static string Key(string assetId, DateTimeOffset start) => $"{assetId}:{start.UtcDateTime:yyyyMMddTHH}";
}

public sealed record HourlyReadingRollup : ReadingRollup;

public sealed record DailyReadingRollup : ReadingRollup;

/// <summary>Folds reading events into period documents; run by Marten's async daemon, behind the appends.</summary>
public abstract class ReadingRollupProjection<T> : MultiStreamProjection<T, string> where T : ReadingRollup, new()
{
    protected ReadingRollupProjection(string name)
    {
        Name = name;
        Identity<UpsReadingRecorded>(e => ReadingRollup.Key(e.AssetId, PeriodStart(e.ScheduledAt)));
        Identity<AcReadingRecorded>(e => ReadingRollup.Key(e.AssetId, PeriodStart(e.ScheduledAt)));
    }

    protected abstract DateTimeOffset PeriodStart(DateTimeOffset t);

    public override T? Evolve(T? current, string id, IEvent e)
    {
        if (e.Data is not IReadingRecorded r) return current;
        var stats = new Dictionary<string, RollupStats>(current?.Readings ?? new Dictionary<string, RollupStats>());
        foreach (var x in r.Readings)
            stats[x.Name] = stats.TryGetValue(x.Name, out var s) ? s.Add(x.Value) : RollupStats.First(x.Unit, x.Value);
        return new T { Id = id, AssetId = r.AssetId, Start = PeriodStart(r.ScheduledAt), Readings = stats };
    }
}

public sealed class HourlyRollupProjection()
    : ReadingRollupProjection<HourlyReadingRollup>(TelemetrySlice.HourlyRollups)
{
    protected override DateTimeOffset PeriodStart(DateTimeOffset t)
    {
        var u = t.UtcDateTime;
        return new DateTimeOffset(u.Year, u.Month, u.Day, u.Hour, 0, 0, TimeSpan.Zero);
    }
}

public sealed class DailyRollupProjection()
    : ReadingRollupProjection<DailyReadingRollup>(TelemetrySlice.DailyRollups)
{
    protected override DateTimeOffset PeriodStart(DateTimeOffset t) => new(t.UtcDateTime.Date, TimeSpan.Zero);
}
