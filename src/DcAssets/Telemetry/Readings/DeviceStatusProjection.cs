using JasperFx.Events;
using Marten.Events.Projections;

namespace DcAssets.Telemetry.Readings;

/// <summary>The latest reading of every device and whether it answers (the dashboard's tiles).</summary>
public sealed record DeviceStatus
{
    public required string AssetId { get; init; }
    public string? Profile { get; init; }
    public DateTimeOffset? LastScheduledAt { get; init; }
    public DateTimeOffset? LastPolledAt { get; init; }
    public double? LatencyMs { get; init; }
    public IReadOnlyDictionary<string, Reading> Readings { get; init; } = new Dictionary<string, Reading>();
    public IReadOnlyList<string> AgentAlarms { get; init; } = [];
    public bool Reachable { get; init; } = true;
    public PollFailure? LastFailure { get; init; }
    public string? LastFailureDetail { get; init; }
    public DateTimeOffset? FailingSince { get; init; }
}

/// <summary>Inline, keyed by asset id: a tile shows the poll the moment it is recorded.</summary>
public sealed class DeviceStatusProjection : MultiStreamProjection<DeviceStatus, string>
{
    public DeviceStatusProjection()
    {
        Name = TelemetrySlice.DeviceStatuses;
        Identity<UpsReadingRecorded>(e => e.AssetId);
        Identity<AcReadingRecorded>(e => e.AssetId);
        Identity<PollFailed>(e => e.AssetId);
        Identity<Polling.PollingRemoved>(e => e.AssetId);
    }

    public override DeviceStatus? Evolve(DeviceStatus? current, string id, IEvent e) => e.Data switch
    {
        // A trap-triggered poll may land after a later scheduled one; the newest poll wins.
        IReadingRecorded r when current?.LastPolledAt is { } last && last > r.PolledAt => current,
        IReadingRecorded r => (current ?? new DeviceStatus { AssetId = r.AssetId }) with
        {
            Profile = r.Profile, LastScheduledAt = r.ScheduledAt, LastPolledAt = r.PolledAt, LatencyMs = r.LatencyMs,
            Readings = r.Readings.ToDictionary(x => x.Name), AgentAlarms = r.ActiveAlarms ?? [],
            Reachable = true, LastFailure = null, LastFailureDetail = null, FailingSince = null,
        },
        PollFailed f => (current ?? new DeviceStatus { AssetId = f.AssetId }) with
        {
            Reachable = false, LastFailure = f.Reason, LastFailureDetail = f.Detail,
            FailingSince = current?.FailingSince ?? f.ScheduledAt,
        },
        Polling.PollingRemoved => null,
        _ => current,
    };
}
