using DcAssets.Assets;
using DcAssets.EventStore;
using DcAssets.Telemetry.Alarms;

namespace DcAssets.Telemetry.Polling;

/// <summary>Stops polling an asset; its readings, alarms and traps stay in the history.</summary>
public sealed record RemovePolling(string AssetId);

public static class RemovePollingHandler
{
    /// <summary>
    /// The removal, after clearing the device's active alarms: nothing would ever clear them once it is no longer
    /// polled, and they would stay on the dashboard and in the fault times for good.
    /// </summary>
    public static IReadOnlyList<object> Decide(PolledDevice? current, IReadOnlyList<ActiveAlarm> active, RemovePolling c, DateTimeOffset now)
    {
        if (current is null) throw CommandRejected.Field("assetId", $"{c.AssetId} is not polled", RejectionKind.NotFound);
        return [.. active.Where(a => a.AssetId == current.AssetId).OrderBy(a => a.Rule, StringComparer.Ordinal)
                .Select(a => new AlarmCleared(a.AlarmId, a.AssetId, a.Rule, now, $"{a.Rule}: polling removed")),
            new PollingRemoved(current.AssetId)];
    }

    /// <summary>The polled device by its id, or by the asset's tag in another case.</summary>
    public static async Task<PolledDevice?> FindAsync(QuerySession q, string assetId, CancellationToken ct)
    {
        if (await q.LoadAsync<PolledDevice>(assetId, ct) is { } d) return d;
        return AssetVocabulary.IsValidTag(assetId) && await q.LoadAsync<Asset>(AssetVocabulary.StreamId(assetId), ct) is { } a && a.Tag != assetId
            ? await q.LoadAsync<PolledDevice>(a.Tag, ct) : null;
    }

    public static async Task<PollingRemoved> HandleAsync(EventStore.EventStore store, Actor actor, RemovePolling c, CancellationToken ct = default)
    {
        await using var s = store.OpenSession(actor);
        var device = await FindAsync(s, c.AssetId, ct);
        var active = device is null ? []
            : await s.Query<ActiveAlarm>().Where("data->>'assetId' = @a", ("a", device.AssetId)).ToListAsync(ct);
        var events = Decide(device, active, c, DateTimeOffset.UtcNow);
        s.Events.Append(TelemetryStreams.Device(device!.AssetId), [.. events]);
        await s.SaveChangesAsync(ct);
        return events.OfType<PollingRemoved>().Single();
    }
}
