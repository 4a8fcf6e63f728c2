using DcAssets.EventStore.Daemon;

namespace DcAssets.Web.Operations;

/// <summary>Runs this node's share of the async projections and the sealer for the life of the host.</summary>
internal sealed class ProjectionDaemonService(EventStore.EventStore store, IConfiguration config, ILogger<ProjectionDaemonService> log) : IHostedService
{
    private ProjectionDaemon? _daemon;

    public async Task StartAsync(CancellationToken ct)
    {
        // Several web nodes may run; the leases decide who runs what. DCASSETS_DAEMON=off leaves it to others.
        if (string.Equals(config["DCASSETS_DAEMON"], "off", StringComparison.OrdinalIgnoreCase)) return;
        _daemon = new ProjectionDaemon(store, ProjectionDaemon.DefaultConsumers(store), new DaemonOptions { Log = m => log.LogInformation("{Message}", m) });
        await _daemon.StartAsync(ct);
        if (store.Options.Sealing is null) log.LogWarning("no seal key configured: history is hash-chained but not sealed");
    }

    public async Task StopAsync(CancellationToken ct)
    {
        if (_daemon is not null) await _daemon.StopAsync();
    }
}
