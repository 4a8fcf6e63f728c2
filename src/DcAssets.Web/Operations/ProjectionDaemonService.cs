using DcAssets.EventStore.Daemon;
using DcAssets.EventStore.Integrity;

namespace DcAssets.Web.Operations;

/// <summary>Runs this node's share of the async projections and the sealer for the life of the host.</summary>
internal sealed class ProjectionDaemonService(EventStore.EventStore store, IConfiguration config, ILogger<ProjectionDaemonService> log) : IHostedService
{
    private ProjectionDaemon? _daemon;

    public async Task StartAsync(CancellationToken ct)
    {
        // Several web nodes may run; the leases decide who runs what. DCASSETS_DAEMON=off leaves it to others.
        if (string.Equals(config["DCASSETS_DAEMON"], "off", StringComparison.OrdinalIgnoreCase)) return;
        var options = DaemonSettings.Daemon(config, m => log.LogInformation("{Message}", m));
        var consumers = store.Options.AsyncProjections.Select(p => (IFeedConsumer)new ProjectionConsumer(store, p)).ToList();
        if (DaemonSettings.Sealing(config, store.Options.Sealing) is { } sealing)
        {
            consumers.Add(new Sealer(store, sealing));
            log.LogInformation("sealing every {Events} events or {Seconds} s", sealing.EveryEvents, sealing.Every.TotalSeconds);
        }
        else log.LogWarning("no seal key configured: history is hash-chained but not sealed");
        _daemon = new ProjectionDaemon(store, consumers, options);
        await _daemon.StartAsync(ct);
    }

    public async Task StopAsync(CancellationToken ct)
    {
        if (_daemon is not null) await _daemon.StopAsync();
    }
}
