using System.Net;
using DcAssets.Snmp;
using DcAssets.Telemetry.Polling;
using DcAssets.Telemetry.Profiles;
using DcAssets.Telemetry.Readings;
using DcAssets.Telemetry.Traps;

namespace DcAssets.Web.Telemetry;

/// <summary>
/// This node's poller (<see cref="PollerNode"/>, its groups handed out by Wolverine) and trap listener for the life
/// of the host, and the start of the raw-reading retention runs (<see cref="ArchiveExpiredReadingsHandler"/>).
/// Configuration: Telemetry:TrapPort (10162; 0 disables traps), Telemetry:ProfileDirectory (templates/snmp-profiles).
/// </summary>
internal sealed class TelemetryService(Marten.IDocumentStore store, PollerNode node, IConfiguration config,
    Npgsql.NpgsqlDataSource db, IServiceScopeFactory scopes, ILogger<TelemetryService> log) : BackgroundService
{
    /// <summary>
    /// Built-ins plus Telemetry:ProfileDirectory (or the checkout's templates/snmp-profiles); a bad YAML file is logged
    /// and left out.
    /// </summary>
    internal static ProfileCatalog LoadProfiles(IConfiguration config, ILogger log) =>
        ProfileCatalog.Load(config["Telemetry:ProfileDirectory"] ?? ProfileCatalog.FindDirectory(), e =>
            log.LogError("device profile not loaded: {Error}", e.Message));

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        if (!node.Enabled) return;
        var poller = node.Poller;
        await poller.StartAsync(ct);

        var trapPort = int.TryParse(config["Telemetry:TrapPort"], out var p) ? p : 10162;
        Task traps = Task.CompletedTask;
        SnmpTrapListener? listener = null;
        if (trapPort > 0)
        {
            // Only one node per machine can have the port; the others poll without listening.
            try { listener = new SnmpTrapListener(new IPEndPoint(IPAddress.Any, trapPort)); }
            catch (System.Net.Sockets.SocketException e)
            {
                log.LogWarning("trap listener not started on UDP {Port}: {Message}", trapPort, e.Message);
            }
            if (listener is not null)
                traps = new TrapReceiver(store, listener, poller, m => log.LogWarning("{Message}", m)).RunAsync(ct);
        }

        try
        {
            using (var scope = scopes.CreateScope())
                await ArchiveExpiredReadingsHandler.EnsureScheduledAsync(db,
                    scope.ServiceProvider.GetRequiredService<Wolverine.IMessageBus>(), ct);
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException) { }
        finally
        {
            await poller.StopAsync();
            if (listener is not null) await listener.DisposeAsync();
            await traps;
        }
    }
}
