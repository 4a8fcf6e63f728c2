using DcAssets.Telemetry.Alarms;
using Marten;

namespace DcAssets.Telemetry.Polling;

/// <summary>Stops polling an asset; its readings, alarms and traps stay in the history.</summary>
public sealed record RemovePolling(string AssetId);

public static class RemovePollingHandler
{
    /// <summary>
    /// The removal, after clearing the device's active alarms: nothing would ever clear them once it is no longer
    /// polled, and they would stay on the dashboard and in the fault times for good.
    /// </summary>
    public static IReadOnlyList<object> Decide(PolledDevice? current, IReadOnlyList<ActiveAlarm> active,
        RemovePolling c, DateTimeOffset now)
    {
        if (current is null)
            throw CommandRejected.Field("assetId", $"{c.AssetId} is not polled", RejectionKind.NotFound);
        return [.. active.Where(a => a.AssetId == current.AssetId).OrderBy(a => a.Rule, StringComparer.Ordinal)
                .Select(a => new AlarmCleared(a.AlarmId, a.AssetId, a.Rule, now, $"{a.Rule}: polling removed")),
            new PollingRemoved(current.AssetId)];
    }

    /// <summary>The polled device by its id, or by the asset's tag in another case.</summary>
    public static async Task<PolledDevice?> FindAsync(IQuerySession q, AssetLookup assets, string assetId,
        CancellationToken ct)
    {
        if (await q.LoadAsync<PolledDevice>(assetId, ct) is { } d) return d;
        return await assets(assetId, ct) is { } a && a.Tag != assetId
            ? await q.LoadAsync<PolledDevice>(a.Tag, ct) : null;
    }

    /// <summary>Loads the device and its active alarms, decides and appends; the caller commits the session.</summary>
    public static async Task<PollingRemoved> Handle(RemovePolling c, IDocumentSession s, AssetLookup assets,
        TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var device = await FindAsync(s, assets, c.AssetId, ct);
        var active = device is null ? []
            : await s.Query<ActiveAlarm>().Where(a => a.AssetId == device.AssetId).ToListAsync(ct);
        var events = Decide(device, active, c, now);
        s.Events.Append(TelemetryStreams.Device(device!.AssetId), [.. events]);
        return events.OfType<PollingRemoved>().Single();
    }

    /// <summary>Outside the bus (the CLI, tests): in a session of its own, committed.</summary>
    public static async Task<PollingRemoved> RunAsync(IDocumentStore store, Actor actor,
        AssetLookup assets, RemovePolling c, CancellationToken ct = default)
    {
        await using var s = store.OpenSession(actor);
        var e = await Handle(c, s, assets, TimeProvider.System, ct);
        await s.SaveChangesAsync(ct);
        return e;
    }
}
