namespace DcAssets.Cli;

/// <summary>The store every command works on: DCASSETS_DB, the same database ops/run uses.</summary>
internal static class CliStore
{
    public static Task<EventStore.EventStore> OpenAsync(CancellationToken ct) =>
        DcAssetsStore.OpenAsync(DcAssetsStore.ResolveConnectionString(), ct);
}
