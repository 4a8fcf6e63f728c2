using System.Text.Json;
using System.Text.Json.Serialization;
using DcAssets.EventStore;
using DcAssets.Integrity;
using JasperFx.Events;
using Marten;
using Weasel.Core;

namespace DcAssets;

/// <summary>
/// How every DcAssets process (web host, CLI, tests) builds its event store: one place that knows
/// where the database is and which slices contribute events and projections.
/// </summary>
public static class DcAssetsStore
{
    public const string ConnectionVariable = "DCASSETS_DB";
    public const string ConnectionKey = "ConnectionStrings:DcAssets";

    /// <summary>The PostgreSQL schema of every table of the product: events, documents, envelopes, seals.</summary>
    public const string Schema = "dcassets";

    /// <summary>DCASSETS_DB wins over the configuration key, so scripts can point any process anywhere.</summary>
    public static string ResolveConnectionString(Func<string, string?>? config = null)
    {
        var cs = Environment.GetEnvironmentVariable(ConnectionVariable);
        if (string.IsNullOrWhiteSpace(cs)) cs = config?.Invoke(ConnectionKey);
        if (string.IsNullOrWhiteSpace(cs))
            throw new InvalidOperationException($"no database configured: set {ConnectionVariable} or {ConnectionKey} (ops/run and ops/dcassets set it for the private cluster)");
        return cs;
    }

    public static EventStoreOptions Options(string connectionString, string schema = Schema)
    {
        var options = new EventStoreOptions { ConnectionString = connectionString, Schema = schema };
        // The seal key lives outside the database: a file or an environment variable (see README).
        options.Sealing = EventStore.Integrity.SealingOptions.FromEnvironment();
        // Each slice adds its event names and projections here as it lands.
        Identity.IdentitySlice.Register(options);
        Assets.AssetsSlice.Register(options);
        Telemetry.TelemetrySlice.Register(options);
        return options;
    }

    /// <summary>
    /// The history on Marten (people, sign-ins and telemetry so far; the other slices follow): the slices' stable event
    /// names
    /// (taken from the registrations above, so there is one list), string stream ids, every metadata column, event
    /// JSON written exactly as our store writes it (camelCase, snake_case enum names, nulls left out: SQL over the
    /// JSON relies on that shape), the slices' read models and the tamper-evidence chain.
    /// </summary>
    public static void ConfigureMarten(StoreOptions o, string connectionString, string schema = Schema)
    {
        UseDatabase(o, connectionString, schema);
        o.DatabaseSchemaName = schema;
        o.Events.StreamIdentity = StreamIdentity.AsString;
        o.Events.MetadataConfig.CorrelationIdEnabled = true;
        o.Events.MetadataConfig.CausationIdEnabled = true;
        o.Events.MetadataConfig.HeadersEnabled = true;
        o.Events.MetadataConfig.UserNameEnabled = true;
        // Marten's enum setting replaces every string-enum converter, so ours (snake_case names) goes in after it.
        o.UseSystemTextJsonForSerialization(EventStoreOptions.DefaultJson(), EnumStorage.AsInteger, Casing.CamelCase,
            json => json.Converters.Insert(0, new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower)));
        foreach (var (type, name) in Options(connectionString, schema).Events.All) o.Events.MapEventType(type, name);
        // An async projection that throws stops at the event, named, as our daemon's did (Marten's default skips it).
        o.Projections.Errors.SkipApplyErrors = o.Projections.Errors.SkipSerializationErrors = false;
        Identity.IdentitySlice.Register(o);
        Assets.AssetsSlice.Register(o);
        Telemetry.TelemetrySlice.Register(o);
        o.AddTamperEvidence();
    }

    /// <summary>
    /// Marten's connections, from a data source named after the schema: Npgsql's metrics label a pool by its name,
    /// and an unnamed one by its connection string (host, user, database) on the open /metrics.
    /// </summary>
    private static void UseDatabase(StoreOptions o, string connectionString, string schema) =>
        o.Connection(new Npgsql.NpgsqlDataSourceBuilder(connectionString) { Name = schema + "-marten" }.Build());

    public static Task<EventStore.EventStore> OpenAsync(string connectionString, CancellationToken ct = default) =>
        EventStore.EventStore.CreateAsync(Options(connectionString), ct);
}
