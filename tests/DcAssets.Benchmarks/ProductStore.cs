using Marten;

namespace DcAssets.Benchmarks;

/// <summary>
/// The product's Marten store exactly as every DcAssets process builds it (<see cref="DcAssetsStore.ConfigureMarten"/>:
/// its event names, serializer, metadata, inline and async projections and the tamper-evidence trigger), in the
/// product's schema, plus whatever a benchmark adds (an event type of its own, a baseline projection).
/// </summary>
public static class ProductStore
{
    public static async Task<DocumentStore> CreateAsync(string connectionString, Action<StoreOptions>? configure,
        CancellationToken ct)
    {
        var store = DocumentStore.For(o =>
        {
            DcAssetsStore.ConfigureMarten(o, connectionString);
            // Benchmarks run the daemon themselves when they want it. Saying so stops Marten's stdout warning.
            o.Projections.AsyncMode = JasperFx.Events.Daemon.DaemonMode.ExternallyManaged;
            configure?.Invoke(o);
        });
        // Tables, functions and the trigger are created here, before anything is timed, as the host does at start.
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        return store;
    }

    /// <summary>Who the benchmarks append as: a poller, the product's busiest writer.</summary>
    public static Actor Poller() =>
        new("poller:bench", "bench", "system", EventSources.Poller) { CorrelationId = Guid.NewGuid().ToString("N") };
}
