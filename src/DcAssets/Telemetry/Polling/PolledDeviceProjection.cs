using DcAssets.EventStore;
using DcAssets.EventStore.Projections;

namespace DcAssets.Telemetry.Polling;

/// <summary>The devices to poll and how (inline, so a node sees a new configuration at its next lease refresh).</summary>
public sealed record PolledDevice(string AssetId, PollingConfigured Config);

public sealed class PolledDeviceProjection : DocumentProjection<PolledDevice>
{
    public PolledDeviceProjection() : base("telemetry_polled_devices")
    {
        Handles<PollingConfigured>();
        Handles<PollingRemoved>();
    }

    protected override IEnumerable<string> DocumentIds(StoredEvent e) => e.Data switch
    {
        PollingConfigured c => [c.AssetId],
        PollingRemoved r => [r.AssetId],
        _ => [],
    };

    protected override PolledDevice? Apply(PolledDevice? current, StoredEvent e) => e.Data switch
    {
        PollingConfigured c => new PolledDevice(c.AssetId, c),
        PollingRemoved => null,
        _ => current,
    };
}
