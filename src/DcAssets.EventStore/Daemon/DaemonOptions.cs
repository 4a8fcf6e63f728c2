namespace DcAssets.EventStore.Daemon;

public sealed record DaemonOptions
{
    /// <summary>Names this node in the progress table (owner column) and logs.</summary>
    public string NodeId { get; init; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}";
    // Per-page costs (document loads, progress, commit) are fixed, so catching up goes faster in big pages; live pages are small anyway.
    public int BatchSize { get; init; } = 10_000;

    /// <summary>Fallback when a notification is missed; notifications normally wake runners at once.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often a node tries to take projections nobody runs.</summary>
    public TimeSpan LeaseInterval { get; init; } = TimeSpan.FromSeconds(1);

    public int MaxFailures { get; init; } = 5;

    /// <summary>Where the daemon reports lease changes and stopped runners (the host wires its logger here).</summary>
    public Action<string>? Log { get; init; }
    public TimeSpan FirstBackoff { get; init; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);
}
