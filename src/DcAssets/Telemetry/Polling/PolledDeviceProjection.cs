using JasperFx.Events;
using Marten.Events.Projections;

namespace DcAssets.Telemetry.Polling;

/// <summary>
/// The devices to poll and how (inline, so a node sees a new configuration at its next configuration read).
/// </summary>
public sealed record PolledDevice(string AssetId, PollingConfigured Config);

public sealed class PolledDeviceProjection : MultiStreamProjection<PolledDevice, string>
{
    public PolledDeviceProjection()
    {
        Name = TelemetrySlice.PolledDevices;
        Identity<PollingConfigured>(e => e.AssetId);
        Identity<PollingRemoved>(e => e.AssetId);
    }

    public override PolledDevice? Evolve(PolledDevice? current, string id, IEvent e) => e.Data switch
    {
        PollingConfigured c => new PolledDevice(c.AssetId, c),
        PollingRemoved => null,
        _ => current,
    };
}
