using Marten;

namespace DcAssets.Telemetry.Alarms;

public sealed record AcknowledgeAlarm(string AssetId, string Rule, string? Comment = null);

public sealed class AlarmNotActiveException(string assetId, string rule)
    : Exception($"no active alarm '{rule}' on {assetId}");

public static class AcknowledgeAlarmHandler
{
    /// <summary>An active alarm is acknowledged once; acknowledging it again changes nothing.</summary>
    public static AlarmAcknowledged? Decide(ActiveAlarm? alarm, AcknowledgeAlarm c, Actor actor, DateTimeOffset now)
    {
        if (alarm is null) throw new AlarmNotActiveException(c.AssetId, c.Rule);
        if (alarm.AcknowledgedAt is not null) return null;
        return new AlarmAcknowledged(alarm.AlarmId, alarm.AssetId, alarm.Rule, actor.Id, actor.Name, now, c.Comment);
    }

    /// <summary>Loads the active alarm, decides and appends; the caller commits the session.</summary>
    public static async Task<AlarmAcknowledged?> Handle(AcknowledgeAlarm c, Actor actor, IDocumentSession s,
        TimeProvider clock, CancellationToken ct)
    {
        var alarm = await s.LoadAsync<ActiveAlarm>(ActiveAlarm.Key(c.AssetId, c.Rule), ct);
        var e = Decide(alarm, c, actor, clock.GetUtcNow());
        if (e is not null) s.Events.Append(TelemetryStreams.Device(c.AssetId), e);
        return e;
    }

    /// <summary>Outside the bus (the CLI, tests): in a session of its own, committed.</summary>
    public static async Task<AlarmAcknowledged?> RunAsync(IDocumentStore store, Actor actor, AcknowledgeAlarm c,
        CancellationToken ct = default)
    {
        await using var s = store.OpenSession(actor);
        var e = await Handle(c, actor, s, TimeProvider.System, ct);
        if (e is not null) await s.SaveChangesAsync(ct);
        return e;
    }
}
