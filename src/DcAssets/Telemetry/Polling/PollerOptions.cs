using DcAssets.EventStore;

namespace DcAssets.Telemetry.Polling;

public sealed record PollerOptions
{
    public string NodeId { get; init; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>How often the scheduler looks for due polls; polls start on their interval's grid, at most this late.</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>A stopped node's devices move after this; keep it under the shortest interval so the gap stays within two intervals.</summary>
    public TimeSpan LeaseTtl { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Polls outstanding at once on this node; the rest wait their turn within the same slot.</summary>
    public int MaxInFlight { get; init; } = 256;

    public Action<string>? Log { get; init; }

    public Actor Actor => new($"poller:{NodeId}", "poller", "system", EventSources.Poller);
}
