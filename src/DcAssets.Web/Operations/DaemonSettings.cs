namespace DcAssets.Web.Operations;

/// <summary>The sealer's tuning from configuration (see <see cref="Settings"/>).</summary>
internal static class DaemonSettings
{
    public const string SealEveryEvents = "Sealing:EveryEvents", SealEverySeconds = "Sealing:EverySeconds";

    public static SealingOptions? Sealing(IConfiguration config, SealingOptions? key) =>
        key is null ? null : key with
        {
            EveryEvents = Settings.Int(config, SealEveryEvents, key.EveryEvents, 1, 10_000_000),
            Every = Settings.Seconds(config, SealEverySeconds, key.Every, 1, 86_400),
        };
}
