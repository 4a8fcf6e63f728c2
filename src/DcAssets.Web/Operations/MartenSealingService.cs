using DcAssets.Integrity;
using Marten;

namespace DcAssets.Web.Operations;

/// <summary>
/// Seals the history every Sealing:EverySeconds with the key kept outside the database. Sealing needs Marten's
/// async daemon to have moved its high-water
/// mark, so the host runs that daemon too. Any node may seal: a seal that lost a race to another node is refused by
/// the seal table's key and tried again next time.
/// </summary>
internal sealed class MartenSealingService(
    IDocumentStore store, IConfiguration config, TimeProvider clock, ILogger<MartenSealingService> log,
    SealingOptions? key = null)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        if (string.Equals(config["DCASSETS_DAEMON"], "off", StringComparison.OrdinalIgnoreCase)) return;
        if (DaemonSettings.Sealing(config, key) is not { } sealing) return;
        var sealer = new Sealer(store, sealing.Key);
        // The host's clock, so a test moves time on instead of waiting for it.
        using var timer = new PeriodicTimer(sealing.Every, clock);
        while (await timer.WaitForNextTickAsync(stop))
        {
            try { await sealer.SealAsync(stop); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "sealing the history on Marten failed; trying again in {Seconds} s",
                    sealing.Every.TotalSeconds);
            }
        }
    }
}
