using JasperFx;
using JasperFx.Events;
using Marten;

namespace DcAssets.Benchmarks.Append;

/// <summary>
/// The append group's baseline: Marten configured as the product configures its events (string stream ids, every
/// metadata column on, the default append mode and serializer) and nothing more: no projections, no trigger, its
/// own schema beside the product's in one benchmark database.
/// </summary>
public static class PlainMarten
{
    public const string Schema = "marten";

    public static async Task<DocumentStore> CreateAsync(string connectionString)
    {
        var store = DocumentStore.For(opts =>
        {
            opts.Connection(connectionString);
            opts.DatabaseSchemaName = Schema;
            opts.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
            opts.Events.StreamIdentity = StreamIdentity.AsString;
            opts.Events.MapEventType<SampleReading>(SampleReading.Name);
            opts.Events.MetadataConfig.CorrelationIdEnabled = true;
            opts.Events.MetadataConfig.CausationIdEnabled = true;
            opts.Events.MetadataConfig.HeadersEnabled = true;
            opts.Events.MetadataConfig.UserNameEnabled = true;
        });
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        // Printed rather than set: the figure is meant to be Marten's default (QuickWithServerTimestamps in 9.x).
        BenchContext.Note($"   Marten append mode: {store.Options.Events.AppendMode}");
        return store;
    }

    /// <summary>The same facts the product's sessions put on every event, set by hand.</summary>
    public static IDocumentSession OpenSession(IDocumentStore store)
    {
        var session = store.LightweightSession();
        session.CorrelationId = Guid.NewGuid().ToString("N");
        session.LastModifiedBy = "bench";
        session.SetHeader(EventHeaders.ActorId, "poller:bench");
        session.SetHeader(EventHeaders.Role, "system");
        session.SetHeader(EventHeaders.Source, EventSources.Poller);
        return session;
    }
}
