
namespace DcAssets.Telemetry.Polling;

public sealed record PollerOptions
{
    public string NodeId { get; init; } =
        $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>
    /// How often the scheduler looks for due polls; polls start on their interval's grid, at most this late.
    /// </summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How often the configured devices are read again (a device configured since is polled then).</summary>
    public TimeSpan ConfigRefresh { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A poller alone (a test, a single-node tool) holds every poll group itself; in the host the messaging
    /// layer hands the groups out among the nodes.
    /// </summary>
    public bool HoldsEveryGroup { get; init; }

    /// <summary>Polls outstanding at once on this node; the rest wait their turn within the same slot.</summary>
    public int MaxInFlight { get; init; } = 256;

    public Action<string>? Log { get; init; }

    public Actor Actor => new($"poller:{NodeId}", "poller", "system", EventSources.Poller);
}
