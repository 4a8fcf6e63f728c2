using DcAssets.EventStore;
using DcAssets.EventStore.Projections;

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
    public string AssetId { get; init; } = "";
    public DateTimeOffset Start { get; init; }
    public IReadOnlyDictionary<string, RollupStats> Readings { get; init; } = new Dictionary<string, RollupStats>();

    public static string Key(string assetId, DateTimeOffset start) => $"{assetId}:{start.UtcDateTime:yyyyMMddTHH}";
}

public sealed record HourlyReadingRollup : ReadingRollup;

public sealed record DailyReadingRollup : ReadingRollup;

/// <summary>Folds reading events into period documents; run by the daemon, behind the appends.</summary>
public abstract class ReadingRollupProjection<T>(string name) : DocumentProjection<T>(name) where T : ReadingRollup, new()
{
    protected void HandleReadings()
    {
        Handles<UpsReadingRecorded>();
        Handles<AcReadingRecorded>();
        Index("asset", "data->>'assetId'");
    }

    protected abstract DateTimeOffset PeriodStart(DateTimeOffset t);

    protected override IEnumerable<string> DocumentIds(StoredEvent e) =>
        e.Data is IReadingRecorded r ? [ReadingRollup.Key(r.AssetId, PeriodStart(r.ScheduledAt))] : [];

    protected override T? Apply(T? current, StoredEvent e)
    {
        if (e.Data is not IReadingRecorded r) return current;
        var stats = new Dictionary<string, RollupStats>(current?.Readings ?? new Dictionary<string, RollupStats>());
        foreach (var x in r.Readings)
            stats[x.Name] = stats.TryGetValue(x.Name, out var s) ? s.Add(x.Value) : RollupStats.First(x.Unit, x.Value);
        return new T { AssetId = r.AssetId, Start = PeriodStart(r.ScheduledAt), Readings = stats };
    }
}

public sealed class HourlyRollupProjection : ReadingRollupProjection<HourlyReadingRollup>
{
    public HourlyRollupProjection() : base("telemetry_hourly_rollups") => HandleReadings();

    protected override DateTimeOffset PeriodStart(DateTimeOffset t)
    {
        var u = t.UtcDateTime;
        return new DateTimeOffset(u.Year, u.Month, u.Day, u.Hour, 0, 0, TimeSpan.Zero);
    }
}

public sealed class DailyRollupProjection : ReadingRollupProjection<DailyReadingRollup>
{
    public DailyRollupProjection() : base("telemetry_daily_rollups") => HandleReadings();

    protected override DateTimeOffset PeriodStart(DateTimeOffset t) => new(t.UtcDateTime.Date, TimeSpan.Zero);
}
