using DcAssets.Projections;
using Marten;
using Marten.Events.Daemon.Coordination;

namespace DcAssets.Web.Operations;

/// <summary>
/// This node's part in rebuilds and resumes of the async projections on Marten: every second it says which
/// projections its daemon runs (Wolverine shares them out among the nodes) and does the requests for those with
/// that daemon, so a rebuild replaces the documents while the node keeps serving.
/// </summary>
internal sealed class ProjectionRequestService(
    IDocumentStore store, IProjectionCoordinator coordinator, Npgsql.NpgsqlDataSource db, IConfiguration config,
    TimeProvider clock, ILogger<ProjectionRequestService> log) : BackgroundService
{
    private readonly string _node = string.IsNullOrWhiteSpace(config["Daemon:NodeId"])
        ? $"{Environment.MachineName}:{Environment.ProcessId}" : config["Daemon:NodeId"]!;

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (string.Equals(config["DCASSETS_DAEMON"], "off", StringComparison.OrdinalIgnoreCase)) return;
        ProjectionRequests? requests = null;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), clock);
        try
        {
            do
            {
                try
                {
                    requests ??= await ProjectionRequests.EnsureAsync(db, store.Options.DatabaseSchemaName,
                        stop);
                    if (await ProjectionWork.ServeAsync(requests, _node, store, db,
                            coordinator.DaemonForMainDatabase(), stop) > 0)
                        log.LogInformation("projection requests served");
                }
                catch (Wolverine.Runtime.Agents.DaemonNotRunningOnThisNodeException)
                {
                    // Wolverine placed every projection on other nodes: their request services serve them.
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning(e, "projection requests not served; trying again in a second");
                }
            } while (await timer.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException) { }
        finally
        {
            if (requests is not null)
                try { await requests.LeaveAsync(_node, CancellationToken.None); }
                catch (Exception e) { log.LogDebug(e, "this node's projection heartbeat was left behind"); }
        }
    }
}
