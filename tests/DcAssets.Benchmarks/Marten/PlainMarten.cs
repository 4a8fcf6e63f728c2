using DcAssets.Benchmarks.Append;
using DcAssets.EventStore;
using JasperFx;
using JasperFx.Events;
using Marten;

namespace DcAssets.Benchmarks.Marten;

/// <summary>
/// Marten as the product will configure it (issue 11) and nothing more: string stream ids, our stable event name,
/// every metadata column on, the default append mode and serializer. The same appends as the append group's.
/// </summary>
public static class PlainMarten
{
    /// <summary>Its own schema, so Marten's tables sit beside ours in one benchmark database.</summary>
    public const string Schema = "marten";

    /// <param name="schema">Another schema for a second Marten store in the same database (the integrity group's).
    /// </param>
    public static async Task<DocumentStore> CreateAsync(string connectionString, Action<StoreOptions>? configure,
        CancellationToken ct, string schema = Schema)
    {
        var store = DocumentStore.For(opts =>
        {
            // The benchmark database's pool settings (prepared statements, no reset), as every other side gets.
            opts.Connection(connectionString);
            opts.DatabaseSchemaName = schema;
            opts.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
            opts.Events.StreamIdentity = StreamIdentity.AsString;
            opts.Events.MapEventType<SampleReading>("sample_reading");
            opts.Events.MetadataConfig.CorrelationIdEnabled = true;
            opts.Events.MetadataConfig.CausationIdEnabled = true;
            opts.Events.MetadataConfig.HeadersEnabled = true;
            opts.Events.MetadataConfig.UserNameEnabled = true;
            configure?.Invoke(opts);
        });
        // Tables and functions are created here, before anything is timed, not by the first save.
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        // Printed rather than set: the figure is meant to be Marten's default (QuickWithServerTimestamps in 9.x).
        BenchContext.Note($"   Marten append mode: {store.Options.Events.AppendMode}");
        return store;
    }

    /// <summary>
    /// What the product will put on every save: correlation and causation ids, the user name and the headers
    /// naming actor, role and source, the same facts our store writes into each event's metadata.
    /// </summary>
    public static void Stamp(IDocumentSession session)
    {
        session.CorrelationId = Guid.NewGuid().ToString("N");
        session.CausationId = session.CorrelationId;
        session.LastModifiedBy = "bench";
        session.SetHeader("actor_id", "bench");
        session.SetHeader("role", "system");
        session.SetHeader("source", EventSources.Poller);
    }

    /// <summary>The append group's batch: 1,000 events over 100 new streams in one save.</summary>
    public static async Task BatchAsync(IDocumentStore store, int batch, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        Stamp(session);
        for (var i = 0; i < AppendBenchmarks.BatchEvents; i++)
        {
            var stream = i % AppendBenchmarks.BatchStreams;
            session.Events.Append($"reading-{batch}-{stream}", AppendBenchmarks.Reading(stream, i));
        }
        await session.SaveChangesAsync(ct);
    }

    /// <summary>One writer of the append group's single appends: one event per save, on the writer's stream.</summary>
    public static async Task SingleAsync(IDocumentStore store, int writer, int perWriter, CancellationToken ct)
    {
        for (var i = 0; i < perWriter; i++)
        {
            await using var session = store.LightweightSession();
            Stamp(session);
            session.Events.Append($"single-{writer}", AppendBenchmarks.Reading(writer, i));
            await session.SaveChangesAsync(ct);
        }
    }

    /// <summary>A figure for writes that did not all land would flatter Marten: count them, and the metadata.</summary>
    public static async Task CheckAppendedAsync(BenchDatabase db, long expected, string schema = Schema)
    {
        var stamped = await db.ScalarAsync<long>($"select count(*) from {schema}.mt_events where correlation_id "
            + "is not null and causation_id is not null and user_name = 'bench' and headers ? 'source'");
        if (stamped != expected)
            throw new InvalidOperationException($"Marten holds {stamped} stamped events, not {expected}");
    }
}
