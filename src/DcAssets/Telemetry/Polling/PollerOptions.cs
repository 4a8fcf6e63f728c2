
namespace DcAssets.Telemetry.Polling;

public sealed record PollerOptions
{
    public string NodeId { get; init; } =
        $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>
    /// How often the scheduler looks for due polls; polls start on their interval's grid, at most this late.
    /// </summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest lease; shorter intervals get shorter leases (<see cref="TtlFor"/>).</summary>
    public TimeSpan LeaseTtl { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The shortest lease: renewing every third of it must stay well within a busy database's reach.</summary>
    public static readonly TimeSpan MinLeaseTtl = TimeSpan.FromSeconds(ConfigurePollingHandler.MinIntervalSeconds);

    /// <summary>Polls outstanding at once on this node; the rest wait their turn within the same slot.</summary>
    public int MaxInFlight { get; init; } = 256;

    public Action<string>? Log { get; init; }

    public Actor Actor => new($"poller:{NodeId}", "poller", "system", EventSources.Poller);

    /// <summary>
    /// The lease for a set of devices: as long as the shortest interval (between the floor and
    /// <see cref="LeaseTtl"/>), renewed every third of it. A crashed node's devices are then taken over at
    /// most TTL + TTL/3 + a tick after its last renewal, inside two intervals of every device it held: the
    /// slot it missed and the one the survivor polls.
    /// </summary>
    public TimeSpan TtlFor(IEnumerable<TimeSpan> intervals)
    {
        var shortest = intervals.DefaultIfEmpty(LeaseTtl).Min();
        return shortest < MinLeaseTtl ? MinLeaseTtl : shortest > LeaseTtl ? LeaseTtl : shortest;
    }
}
