using System.Globalization;
using DcAssets.Telemetry;
using DcAssets.Telemetry.Readings;
using Marten;

namespace DcAssets.Web.Telemetry;

public enum HistoryResolution { Raw, Hourly, Daily }

/// <summary>
/// One reading at one point of a range: a raw point's value with the agent's raw integer and the scale
/// that made it (value = raw × scale), or the period's min/avg/max.
/// </summary>
public sealed record HistoryValue(string Unit, double? Value = null, double? Min = null, double? Avg = null,
    double? Max = null, long? Count = null,
    long? Raw = null, double? Scale = null);

public sealed record HistoryPoint(DateTimeOffset At, IReadOnlyDictionary<string, HistoryValue> Readings);

public sealed record ReadingRange(string AssetId, HistoryResolution Resolution, DateTimeOffset From, DateTimeOffset To,
    IReadOnlyList<HistoryPoint> Points);

/// <summary>
/// A device's readings over [from, to): raw from the day streams of reading events (kept for the raw
/// window), hourly and daily from the rollup documents (kept for years).
/// </summary>
public static class ReadingHistory
{
    /// <summary>Raw ranges read every event, so they are kept to what a page can draw; rollups go further.</summary>
    public static readonly IReadOnlyDictionary<HistoryResolution, TimeSpan> MaxSpan =
        new Dictionary<HistoryResolution, TimeSpan>
    {
        [HistoryResolution.Raw] = TimeSpan.FromDays(31),
        [HistoryResolution.Hourly] = TimeSpan.FromDays(400),
        [HistoryResolution.Daily] = TimeSpan.FromDays(3660),
    };

    public static async Task<ReadingRange> ReadAsync(IQuerySession q, string assetId, HistoryResolution resolution,
        DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var points = resolution switch
        {
            HistoryResolution.Raw => await RawAsync(q, assetId, from, to, ct),
            HistoryResolution.Hourly => Rolled(await RollupsAsync<HourlyReadingRollup>(q, assetId, from, to, ct)),
            _ => Rolled(await RollupsAsync<DailyReadingRollup>(q, assetId, from, to, ct)),
        };
        return new ReadingRange(assetId, resolution, from, to, points);
    }

    private static async Task<IReadOnlyList<HistoryPoint>> RawAsync(IQuerySession q, string assetId,
        DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var points = new List<HistoryPoint>();
        for (var day = from.UtcDateTime.Date; day < to.UtcDateTime; day = day.AddDays(1))
        {
            var stream = TelemetryStreams.Readings(assetId, new DateTimeOffset(day, TimeSpan.Zero));
            foreach (var e in await q.Events.FetchStreamAsync(stream, token: ct))
                if (e.Data is IReadingRecorded r && r.ScheduledAt >= from && r.ScheduledAt < to)
                    points.Add(new HistoryPoint(r.ScheduledAt, r.Readings.ToDictionary(x => x.Name,
                        x => new HistoryValue(x.Unit, Value: x.Value, Raw: x.Raw, Scale: x.Scale))));
        }
        return points.OrderBy(p => p.At).ToList();
    }

    private static Task<IReadOnlyList<T>> RollupsAsync<T>(IQuerySession q, string assetId, DateTimeOffset from,
        DateTimeOffset to, CancellationToken ct) where T : ReadingRollup
    {
        // Document ids are asset:yyyyMMddTHH, so a range of periods is a range of ids (the primary key).
        // Periods that start in [from, to): the upper key is to's hour rounded up, so the current hour counts.
        var lo = ReadingRollup.Key(assetId, Hour(from));
        var hi = ReadingRollup.Key(assetId, Hour(to) < to ? Hour(to).AddHours(1) : to);
        return q.QueryAsync<T>("where d.id >= ? and d.id < ? and d.data->>'assetId' = ? order by d.id", ct,
            lo, hi, assetId);
    }

    private static DateTimeOffset Hour(DateTimeOffset t) =>
        new(t.UtcDateTime.Date.AddHours(t.UtcDateTime.Hour), TimeSpan.Zero);

    private static IReadOnlyList<HistoryPoint> Rolled(IEnumerable<ReadingRollup> rollups) =>
        rollups.Select(r => new HistoryPoint(r.Start, r.Readings.ToDictionary(x => x.Key,
            x => new HistoryValue(x.Value.Unit, Min: x.Value.Min, Avg: x.Value.Avg, Max: x.Value.Max,
                Count: x.Value.Count)))).ToList();

    /// <summary>
    /// One row per reading per point, so a spreadsheet can pivot it: raw rows carry the value, raw integer and scale,
    /// rollup rows min/avg/max.
    /// </summary>
    public static async Task WriteCsvAsync(ReadingRange range, TextWriter w, CancellationToken ct)
    {
        await using var csv = CsvHelper.CsvWriter.Create(w, new CsvHelper.CsvWriterOptions(), true);
        var raw = range.Resolution == HistoryResolution.Raw;
        csv.WriteHeader(raw
            ? ["time", "asset", "reading", "unit", "value", "raw", "scale"]
            : ["period_start", "asset", "reading", "unit", "min", "avg", "max", "count"]);
        foreach (var p in range.Points)
            foreach (var (name, v) in p.Readings)
            {
                string[] head = [p.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                    range.AssetId, name, v.Unit];
                string[] values = raw
                    ? [N(v.Value), v.Raw?.ToString(CultureInfo.InvariantCulture) ?? "", N(v.Scale)]
                    : [N(v.Min), N(v.Avg), N(v.Max), v.Count?.ToString(CultureInfo.InvariantCulture) ?? ""];
                await csv.WriteRecordAsync([.. head, .. values], ct);
            }
        await csv.FlushAsync(ct);
    }

    private static string N(double? v) => v?.ToString("R", CultureInfo.InvariantCulture) ?? "";
}
