using System.Text.Json;
using System.Text.Json.Serialization;
using DcAssets.Integrity;
using JasperFx.Events;
using Marten;
using Weasel.Core;

namespace DcAssets;

/// <summary>
/// How every DcAssets process (web host, CLI, tests) builds its Marten store: one place that knows where the
/// database is and which slices contribute events and projections.
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
            throw new InvalidOperationException(
                $"no database configured: set {ConnectionVariable} or {ConnectionKey} " +
                "(ops/run and ops/dcassets set it for the private cluster)");
        return cs;
    }

    /// <summary>
    /// The JSON of events and documents: camelCase, snake_case enum names, nulls left out. SQL over the JSON (the
    /// inventory's filters, as-of reads) relies on that shape.
    /// </summary>
    public static JsonSerializerOptions Json()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        return o;
    }

    /// <summary>Every slice's events by their stored names.</summary>
    public static IEnumerable<(Type Type, string Name)> EventNames =>
        Identity.IdentitySlice.Events.Concat(Assets.AssetsSlice.PlaceEvents).Concat(Assets.AssetsSlice.AssetEvents)
            .Concat(Telemetry.TelemetrySlice.Events).Concat(Faults.FaultsSlice.Events);

    /// <summary>
    /// The history on Marten: the slices' stable event names, string stream ids, every metadata column, event JSON in
    /// <see cref="Json"/>'s shape, the slices' read models and the tamper-evidence chain.
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
        o.UseSystemTextJsonForSerialization(Json(), EnumStorage.AsInteger, Casing.CamelCase,
            json => json.Converters.Insert(0, new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower)));
        foreach (var (type, name) in EventNames) o.Events.MapEventType(type, name);
        // An async projection that throws stops at the event, named (Marten's default skips it).
        o.Projections.Errors.SkipApplyErrors = o.Projections.Errors.SkipSerializationErrors = false;
        Identity.IdentitySlice.Register(o);
        Assets.AssetsSlice.Register(o);
        Telemetry.TelemetrySlice.Register(o);
        Faults.FaultsSlice.Register(o);
        o.AddTamperEvidence();
    }

    /// <summary>
    /// Refuses a database written by the product's earlier store (its own events table, before the move onto
    /// Marten): nothing reads that history any more, and nothing real depends on it yet.
    /// </summary>
    public static async Task RefuseEarlierSchemaAsync(Npgsql.NpgsqlDataSource db, CancellationToken ct = default)
    {
        await using var conn = await db.OpenConnectionAsync(ct);
        await using var cmd = new Npgsql.NpgsqlCommand(
            $"select to_regclass('{Schema}.events') is not null and to_regclass('{Schema}.projection_progress') is " +
            $"not null",
            conn);
        if ((bool)(await cmd.ExecuteScalarAsync(ct))!)
            throw new InvalidOperationException($"database '{conn.Database}' holds the earlier DcAssets schema " +
                $"({Schema}.events), which this version does not read; start afresh: drop schema {Schema} cascade " +
                "(or use a new database), then run again");
    }

    /// <summary>
    /// Marten's connections, from a data source named after the schema: Npgsql's metrics label a pool by its name,
    /// and an unnamed one by its connection string (host, user, database) on the open /metrics.
    /// </summary>
    private static void UseDatabase(StoreOptions o, string connectionString, string schema) =>
        o.Connection(new Npgsql.NpgsqlDataSourceBuilder(connectionString) { Name = schema + "-marten" }.Build());
}
