using DcAssets.Testing;
using JasperFx.Events;
using Marten;

namespace DcAssets.Integrity.Tests.Infrastructure;

public sealed record ThingMoved(string Room, decimal Position);

public sealed record ThingNamed(string Name);

/// <summary>Marten as the product configures it: string stream ids, every metadata column, the chain.</summary>
public static class TestStores
{
    public static readonly SealKey Key = new(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    public static async Task<DocumentStore> CreateAsync(TestDatabase db, bool tamperEvidence = true)
    {
        var store = OptionsOnly(db, tamperEvidence);
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        return store;
    }

    /// <summary>The store without touching the database's schema.</summary>
    public static DocumentStore OptionsOnly(TestDatabase db, bool tamperEvidence = true,
        Action<StoreOptions>? configure = null) =>
        DocumentStore.For(o =>
        {
            o.Connection(db.ConnectionString);
            o.Events.StreamIdentity = StreamIdentity.AsString;
            o.Events.AddEventType<ThingMoved>();
            o.Events.AddEventType<ThingNamed>();
            o.Events.MetadataConfig.CorrelationIdEnabled = true;
            o.Events.MetadataConfig.CausationIdEnabled = true;
            o.Events.MetadataConfig.HeadersEnabled = true;
            o.Events.MetadataConfig.UserNameEnabled = true;
            // Tests roll saves back on purpose: let the daemon prove those gaps dead quickly.
            o.Projections.StaleSequenceThreshold = TimeSpan.FromMilliseconds(300);
            o.Projections.FastPollingTime = TimeSpan.FromMilliseconds(100);
            o.Projections.SlowPollingTime = TimeSpan.FromMilliseconds(200);
            configure?.Invoke(o);
            if (tamperEvidence) o.AddTamperEvidence();
        });

    /// <summary>A session carrying every kind of metadata, as the product's sessions do.</summary>
    public static IDocumentSession Session(IDocumentStore store, string actor = "u-42")
    {
        var session = store.LightweightSession();
        session.CorrelationId = "corr-" + actor;
        session.CausationId = "cause-" + actor;
        session.LastModifiedBy = "Li Wei";
        session.SetHeader("actorId", actor);
        session.SetHeader("source", "api");
        return session;
    }
}
