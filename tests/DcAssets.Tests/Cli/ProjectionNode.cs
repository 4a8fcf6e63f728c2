using DcAssets.Projections;
using JasperFx.Events.Daemon;
using Marten;
using Npgsql;

namespace DcAssets.Tests.Cli;

/// <summary>
/// A web node as far as projections go, in the test's process: Marten's daemon running every async projection,
/// and its turn at the rebuild and resume requests every tenth of a second (as ProjectionRequestService does).
/// </summary>
public sealed class ProjectionNode : IAsyncDisposable
{
    public const string Name = "node-1";
    private readonly CancellationTokenSource _stop;
    private readonly IProjectionDaemon _daemon;
    private readonly Task _serving;

    public NpgsqlDataSource Db { get; }

    private ProjectionNode(NpgsqlDataSource db, IProjectionDaemon daemon, Task serving, CancellationTokenSource stop) =>
        (Db, _daemon, _serving, _stop) = (db, daemon, serving, stop);

    public static async Task<ProjectionNode> StartAsync(DocumentStore store, string connectionString)
    {
        var db = NpgsqlDataSource.Create(connectionString);
        var daemon = await store.BuildProjectionDaemonAsync();
        await daemon.StartAllAsync();
        var requests = await ProjectionRequests.EnsureAsync(db, "dcassets", default);
        var stop = new CancellationTokenSource();
        var serving = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await ProjectionWork.ServeAsync(requests, Name, store, db, daemon, stop.Token);
                await Task.Delay(100, stop.Token); // the node's tick
            }
        });
        return new ProjectionNode(db, daemon, serving, stop);
    }

    /// <summary>Stops serving (the loop ends by its cancellation) and the daemon.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await FluentActions.Awaiting(() => _serving).Should().ThrowAsync<OperationCanceledException>();
        await _daemon.StopAllAsync();
        _daemon.Dispose();
        await Db.DisposeAsync();
        _stop.Dispose();
    }
}
