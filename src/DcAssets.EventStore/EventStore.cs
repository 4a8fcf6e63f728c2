using DcAssets.EventStore.Projections;
using DcAssets.EventStore.Storage;
using Npgsql;

namespace DcAssets.EventStore;

/// <summary>
/// The event store: one per process, thread-safe. Sessions are cheap and short-lived:
/// open one per command, append, save, dispose.
/// </summary>
public sealed class EventStore : IAsyncDisposable
{
    private readonly Dictionary<Type, IProjection> _byDocument = [];

    private EventStore(EventStoreOptions options, NpgsqlDataSource db)
    {
        Options = options;
        DataSource = db;
        Notifier = new AppendNotifier(db, NotificationChannel);
        foreach (var p in options.InlineProjections.Concat(options.AsyncProjections)) Register(p);
    }

    public EventStoreOptions Options { get; }
    public NpgsqlDataSource DataSource { get; }
    public string Schema => Options.Schema;
    public EventTypeRegistry Registry => Options.Events;

    /// <summary>The LISTEN/NOTIFY channel on which appends wake the daemons.</summary>
    public string NotificationChannel => $"dcassets_events_{Schema}";

    internal AppendNotifier Notifier { get; }

    /// <summary>Connects and migrates the schema (idempotent; safe when several nodes start at once).</summary>
    public static async Task<EventStore> CreateAsync(EventStoreOptions options, CancellationToken ct = default)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(options.Schema, "^[a-z_][a-z0-9_]{0,40}$"))
            throw new ArgumentException($"schema '{options.Schema}' must be lower-case letters, digits and '_'");
        var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
        // The append statements are few and hot: let Npgsql prepare them unless told otherwise.
        if (builder.ConnectionStringBuilder.MaxAutoPrepare == 0) builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
        // Pooled connections never keep session state (LISTEN and session locks get dedicated ones, see
        // OpenDedicatedConnectionAsync), so they need no reset on every return to the pool: that reset is
        // seven statements and cost the server more than a small query does.
        builder.ConnectionStringBuilder.NoResetOnClose = true;
        // Npgsql's meter labels the pool by this name, else by the connection string: host, port, user and
        // database on the open /metrics, and a new series whenever a connection setting changes.
        builder.Name = options.Schema;
        var db = builder.Build();
        var store = new EventStore(options, db);
        try
        {
            await Errors.Guard(() => store.MigrateAsync(ct));
        }
        catch
        {
            await db.DisposeAsync();
            throw;
        }
        return store;
    }

    /// <summary>Creates missing tables for projections registered after start (e.g. by the daemon).</summary>
    public Task MigrateAsync(CancellationToken ct = default) =>
        SchemaMigrator.MigrateAsync(DataSource, Schema, _byDocument.Values.Select(TableOf).ToList(), ct);

    /// <summary>
    /// Creates tables of the caller's own that are not read models (leases, request queues): idempotent
    /// DDL run under the migration lock, since concurrent "create table if not exists" can still collide.
    /// </summary>
    public Task ApplySchemaAsync(string ddl, CancellationToken ct = default) => SchemaMigrator.ApplyAsync(DataSource, Schema, ddl, ct);

    /// <summary>Makes a projection's documents queryable (inline ones are registered from the options).</summary>
    public void Register(IProjection projection)
    {
        if (_byDocument.TryGetValue(projection.DocumentType, out var existing) && existing != projection)
            throw new ArgumentException($"{projection.DocumentType.Name} is already the document of projection '{existing.Name}'");
        _byDocument[projection.DocumentType] = projection;
    }

    public DocumentTable TableOf(IProjection p) => new(Schema, p.Name, p.Indexes, p.KeepsJsonText);

    public IEnumerable<IProjection> Projections => _byDocument.Values;

    /// <summary>For connections that hold session state (advisory locks, LISTEN): never pooled, so that state dies with them.</summary>
    internal string DedicatedConnectionString => DedicatedConnection(null);

    /// <summary>
    /// A dedicated connection, named in pg_stat_activity by <paramref name="purpose"/>. Keepalives run
    /// both ways: the client's finds a dead server, and the server's (startup options) finds a host that
    /// crashed or dropped off the network within about 11 s, ending its session and freeing its leases,
    /// instead of after the kernel's two hours. Over a unix socket there is no peer to lose.
    /// </summary>
    internal string DedicatedConnection(string? purpose)
    {
        var b = new NpgsqlConnectionStringBuilder(Options.ConnectionString) { Pooling = false, KeepAlive = 5 };
        b.Options = $"{b.Options} -c tcp_keepalives_idle=5 -c tcp_keepalives_interval=2 -c tcp_keepalives_count=3".Trim();
        if (purpose is not null) b.ApplicationName = purpose;
        return b.ConnectionString;
    }

    /// <summary>
    /// A connection of its own, never pooled, for session state (LISTEN, session advisory locks) that must
    /// end with it; <paramref name="purpose"/> names it in pg_stat_activity.
    /// </summary>
    public async Task<NpgsqlConnection> OpenDedicatedConnectionAsync(string purpose, CancellationToken ct = default)
    {
        var conn = new NpgsqlConnection(DedicatedConnection(purpose));
        try { await conn.OpenAsync(ct); }
        catch { await conn.DisposeAsync(); throw; }
        return conn;
    }

    public EventSession OpenSession(Actor actor) => new(this, actor);

    public QuerySession QuerySession() => new(this);

    internal IProjection ProjectionFor<T>() =>
        _byDocument.TryGetValue(typeof(T), out var p)
            ? p
            : throw new InvalidOperationException($"no projection produces {typeof(T).Name}; register it first");

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
