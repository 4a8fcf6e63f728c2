using DcAssets.EventStore;

namespace DcAssets.Telemetry.Alarms;

public sealed record AcknowledgeAlarm(string AssetId, string Rule, string? Comment = null);

public sealed class AlarmNotActiveException(string assetId, string rule) : Exception($"no active alarm '{rule}' on {assetId}");

public static class AcknowledgeAlarmHandler
{
    /// <summary>An active alarm is acknowledged once; acknowledging it again changes nothing.</summary>
    public static AlarmAcknowledged? Decide(ActiveAlarm? alarm, AcknowledgeAlarm c, Actor actor, DateTimeOffset now)
    {
        if (alarm is null) throw new AlarmNotActiveException(c.AssetId, c.Rule);
        if (alarm.AcknowledgedAt is not null) return null;
        return new AlarmAcknowledged(alarm.AlarmId, alarm.AssetId, alarm.Rule, actor.Id, actor.Name, now, c.Comment);
    }

    public static async Task<AlarmAcknowledged?> HandleAsync(EventStore.EventStore store, Actor actor, AcknowledgeAlarm c, CancellationToken ct = default)
    {
        await using var s = store.OpenSession(actor);
        var e = Decide(await s.LoadAsync<ActiveAlarm>(ActiveAlarm.Key(c.AssetId, c.Rule), ct), c, actor, DateTimeOffset.UtcNow);
        if (e is null) return null;
        s.Events.Append(TelemetryStreams.Device(c.AssetId), e);
        await s.SaveChangesAsync(ct);
        return e;
    }
}
