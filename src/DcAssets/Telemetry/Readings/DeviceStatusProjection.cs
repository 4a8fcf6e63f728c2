using DcAssets.EventStore;
using DcAssets.EventStore.Projections;

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

public sealed class DeviceStatusProjection : DocumentProjection<DeviceStatus>
{
    public DeviceStatusProjection() : base("telemetry_device_status")
    {
        Handles<UpsReadingRecorded>();
        Handles<AcReadingRecorded>();
        Handles<PollFailed>();
        Handles<Polling.PollingRemoved>();
    }

    protected override IEnumerable<string> DocumentIds(StoredEvent e) => e.Data switch
    {
        IReadingRecorded r => [r.AssetId],
        PollFailed f => [f.AssetId],
        Polling.PollingRemoved r => [r.AssetId],
        _ => [],
    };

    protected override DeviceStatus? Apply(DeviceStatus? current, StoredEvent e) => e.Data switch
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
            Reachable = false, LastFailure = f.Reason, LastFailureDetail = f.Detail, FailingSince = current?.FailingSince ?? f.ScheduledAt,
        },
        Polling.PollingRemoved => null,
        _ => current,
    };
}
