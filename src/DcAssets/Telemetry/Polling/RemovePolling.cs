using DcAssets.Assets;
using DcAssets.EventStore;

namespace DcAssets.Telemetry.Polling;

/// <summary>Stops polling an asset; its readings, alarms and traps stay in the history.</summary>
public sealed record RemovePolling(string AssetId);

public static class RemovePollingHandler
{
    public static PollingRemoved Decide(PolledDevice? current, RemovePolling c) =>
        current is null
            ? throw CommandRejected.Field("assetId", $"{c.AssetId} is not polled", RejectionKind.NotFound)
            : new PollingRemoved(current.AssetId);

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
        var e = Decide(await FindAsync(s, c.AssetId, ct), c);
        s.Events.Append(TelemetryStreams.Device(e.AssetId), e);
        await s.SaveChangesAsync(ct);
        return e;
    }
}
