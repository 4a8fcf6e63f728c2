using DcAssets.Assets;
using DcAssets.Telemetry;
using DcAssets.Telemetry.Alarms;
using DcAssets.Telemetry.Polling;
using DcAssets.Telemetry.Readings;
using Marten;

namespace DcAssets.Web.Telemetry;

/// <summary>
/// How a tile is coloured: polled and quiet, an alarm active, not answering, or configured but not yet polled.
/// </summary>
public enum DeviceState { Normal, Alarm, Unreachable, Waiting }

public sealed record ReadingView(string Name, double Value, string Unit, long Raw, double Scale);

/// <summary>
/// One polled device as the dashboard shows it: the asset, its latest readings, its state and active alarms.
/// </summary>
public sealed record DeviceView(
    string AssetId, AssetCategory? Category, string? Make, string? Model, string? Room, string Profile, string Address,
    int IntervalSeconds, DeviceState State, DateTimeOffset? LastPolledAt, double? LatencyMs, string? LastFailure,
    IReadOnlyList<ReadingView> Readings, IReadOnlyList<ActiveAlarm> Alarms);

/// <summary>
/// The machine room at a glance, read from the inline read models (polled devices, device status, active alarms,
/// inventory).
/// </summary>
public static class DeviceBoard
{
    public static async Task<IReadOnlyList<DeviceView>> AllAsync(IQuerySession q, CancellationToken ct)
    {
        var devices = await q.Query<PolledDevice>().ToListAsync(ct);
        var statuses = (await q.Query<DeviceStatus>().ToListAsync(ct)).ToDictionary(s => s.AssetId);
        var alarms = (await ActiveAlarmsAsync(q, null, ct)).ToLookup(a => a.AssetId);
        // The register's side of every device in one read, not one query per tile.
        var registered = (await q.LoadManyAsync<Asset>(ct,
                devices.Select(d => AssetVocabulary.StreamId(d.AssetId)).ToArray()))
            .ToDictionary(a => a.Id, StringComparer.Ordinal);
        var list = new List<DeviceView>();
        foreach (var d in devices)
            list.Add(View(d, statuses.GetValueOrDefault(d.AssetId), alarms[d.AssetId].ToList(),
                registered.GetValueOrDefault(AssetVocabulary.StreamId(d.AssetId))));
        // UPS before AC, then by room and tag: the order an engineer walks the room.
        return list.OrderBy(v => v.Category is AssetCategory.Ups ? 0 : 1).ThenBy(v => v.Room)
            .ThenBy(v => v.AssetId, StringComparer.OrdinalIgnoreCase).ToList();
    }

    public static async Task<DeviceView?> OneAsync(IQuerySession q, AssetLookup assets, string assetId,
        CancellationToken ct)
    {
        var d = await DcAssets.Telemetry.Polling.RemovePollingHandler.FindAsync(q, assets, assetId, ct);
        if (d is null) return null;
        var alarms = await ActiveAlarmsAsync(q, d.AssetId, ct);
        return View(d, await q.LoadAsync<DeviceStatus>(d.AssetId, ct), alarms, await assets(d.AssetId, ct));
    }

    /// <summary>The active alarms, oldest first: all of them, or one device's.</summary>
    public static async Task<IReadOnlyList<ActiveAlarm>> ActiveAlarmsAsync(IQuerySession q, string? assetId,
        CancellationToken ct)
    {
        var query = assetId is null ? q.Query<ActiveAlarm>() : q.Query<ActiveAlarm>().Where(a => a.AssetId == assetId);
        return await query.OrderBy(a => a.RaisedAt).ToListAsync(ct);
    }

    private static DeviceView View(PolledDevice d, DeviceStatus? s, IReadOnlyList<ActiveAlarm> alarms, Asset? a)
    {
        var state = s is null ? DeviceState.Waiting
            : !s.Reachable ? DeviceState.Unreachable
            : alarms.Count > 0 ? DeviceState.Alarm
            : s.LastPolledAt is null ? DeviceState.Waiting : DeviceState.Normal;
        return new DeviceView(d.AssetId, a?.Details.Category, a?.Details.Make, a?.Details.Model, a?.Location?.Room,
            d.Config.Profile,
            $"{d.Config.Address}:{d.Config.Port}", d.Config.IntervalSeconds, state, s?.LastPolledAt, s?.LatencyMs,
            s?.LastFailure is { } f ? $"{f}: {s.LastFailureDetail}" : null,
            // By name (the stored document's key order is jsonb's), which keeps battery_*, input_*, output_* together.
            s is null ? []
                : s.Readings.Values.OrderBy(r => r.Name, StringComparer.Ordinal)
                .Select(r => new ReadingView(r.Name, r.Value, r.Unit, r.Raw, r.Scale)).ToList(),
            alarms);
    }
}
