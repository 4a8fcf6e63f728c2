using DcAssets.Snmp;
using DcAssets.Telemetry.Polling;
using Marten;

namespace DcAssets.Telemetry.Traps;

/// <summary>
/// Turns every notification the listener accepts into a trap_received event on the device's stream
/// (or the unmatched-traps stream) and, for the UPS-MIB and Liebert traps, polls the device at once.
/// </summary>
public sealed class TrapReceiver(IDocumentStore store, SnmpTrapListener listener, Poller poller,
    Action<string>? log = null)
{
    private static readonly Actor TrapActor = new("trap", "trap listener", "system", EventSources.Trap);

    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var n in listener.ReadAllAsync(ct))
            {
                try { await HandleAsync(n, ct); }
                // One trap that cannot be recorded (database away, a bad poll) must not stop the listener.
                catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    log?.Invoke($"trap from {n.Source} not recorded: {e.Message}");
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
    }

    public async Task HandleAsync(SnmpNotification n, CancellationToken ct)
    {
        var kind = TrapClassifier.Classify(n);
        var device = TrapClassifier.Device(n, kind, poller.Configured);
        await using (var s = store.OpenSession(TrapActor))
        {
            var evt = TrapClassifier.ToEvent(n, kind, device?.AssetId ?? "unmatched");
            s.Events.Append(device is null ? TelemetryStreams.UnmatchedTraps : TelemetryStreams.Device(device.AssetId),
                evt);
            await s.SaveChangesAsync(ct);
        }
        if (device is not null && TrapClassifier.TriggersPoll(kind))
            await poller.PollNowAsync(device.AssetId, n.ReceivedAt, ct);
    }
}
