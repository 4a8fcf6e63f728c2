using Npgsql;

namespace DcAssets.EventStore.Daemon;

/// <summary>
/// Runs async consumers on this node. Each consumer has a lease: a session advisory lock held on a
/// dedicated connection, so exactly one node runs it; when that node dies its connection closes, the
/// lock is freed, and another node's next lease round takes it over from the saved position.
/// </summary>
public sealed class ProjectionDaemon : IAsyncDisposable
{
    private readonly EventStore _store;
    private readonly DaemonOptions _options;
    private readonly IReadOnlyList<IFeedConsumer> _consumers;
    private readonly Wakeup _wakeup = new();
    private readonly Dictionary<string, (Task Task, CancellationTokenSource Cts)> _running = [];
    private CancellationTokenSource? _cts;
    private Task? _leases, _listener, _stopping;
    private readonly object _gate = new();

    public ProjectionDaemon(EventStore store, IEnumerable<IFeedConsumer> consumers, DaemonOptions? options = null)
    {
        _store = store;
        _options = options ?? new DaemonOptions();
        _consumers = consumers.ToList();
    }

    /// <summary>The consumers of the store's options: its async projections, and the sealer when a key is set.</summary>
    public static IReadOnlyList<IFeedConsumer> DefaultConsumers(EventStore store)
    {
        var list = store.Options.AsyncProjections.Select(p => (IFeedConsumer)new ProjectionConsumer(store, p)).ToList();
        if (store.Options.Sealing is { } sealing) list.Add(new Integrity.Sealer(store, sealing));
        return list;
    }

    public string NodeId => _options.NodeId;

    /// <summary>Names of the consumers this node runs right now.</summary>
    public IReadOnlyList<string> Running
    {
        get { lock (_running) return _running.Where(r => !r.Value.Task.IsCompleted).Select(r => r.Key).Order().ToList(); }
    }

    public async Task StartAsync(CancellationToken ct = default)
    {
        // Document tables of async projections may not exist yet; the migrator's lock keeps nodes from racing.
        await Storage.SchemaMigrator.MigrateAsync(_store.DataSource, _store.Schema,
            _consumers.Select(c => c.Table).OfType<Projections.DocumentTable>().ToList(), ct);
        lock (_gate) _stopping = null;
        _cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        _leases = Task.Run(() => LeaseLoopAsync(_cts.Token));
        _listener = Task.Run(() => ListenLoopAsync(_cts.Token));
    }

    /// <summary>Stops every runner and gives the leases back; callers that overlap all wait for the one stop.</summary>
    public Task StopAsync()
    {
        lock (_gate) return _stopping ??= StopOnceAsync();
    }

    private async Task StopOnceAsync()
    {
        var cts = Interlocked.Exchange(ref _cts, null);
        if (cts is null) return;
        await cts.CancelAsync();
        foreach (var t in new[] { _leases, _listener }) if (t is not null) await Quietly(t);
        cts.Dispose();
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    /// <summary>How this node's lease connection shows in pg_stat_activity (at most 63 bytes are kept).</summary>
    public static string LeaseApplicationName(string nodeId) => $"dcassets-leases {nodeId}";

    internal static (int, int) LockKey(string schema, string name) =>
        (StableHash("dcassets-projection:" + schema), StableHash(name));

    // Keys must agree across processes and .NET versions, so no string.GetHashCode.
    private static int StableHash(string s)
    {
        var h = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(s));
        return BitConverter.ToInt32(h, 0);
    }

    private async Task LeaseLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var conn = new NpgsqlConnection(_store.DedicatedConnection(LeaseApplicationName(_options.NodeId)));
                await conn.OpenAsync(ct);
                while (!ct.IsCancellationRequested)
                {
                    await TakeFreeLeasesAsync(conn, ct);
                    await Task.Delay(_options.LeaseInterval, ct);
                    await using var ping = new NpgsqlCommand("select 1", conn);
                    await ping.ExecuteScalarAsync(ct); // a dead lock connection means our leases are gone
                }
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                await StopRunnersAsync(); // without the connection we hold no lease
                await Quietly(Task.Delay(_options.LeaseInterval, ct));
            }
            catch (OperationCanceledException) { }
        }
        await StopRunnersAsync();
    }

    private async Task TakeFreeLeasesAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        foreach (var consumer in _consumers)
        {
            lock (_running)
            {
                if (_running.TryGetValue(consumer.Name, out var r) && !r.Task.IsCompleted) continue;
            }
            var (a, b) = LockKey(_store.Schema, consumer.Name);
            bool finished;
            lock (_running) finished = _running.Remove(consumer.Name);
            if (finished)
            {
                // A runner that stopped (faulted, or found another owner) gives its lease back first.
                await using var release = new NpgsqlCommand("select pg_advisory_unlock($1, $2)", conn);
                release.Parameters.Add(new NpgsqlParameter { Value = a });
                release.Parameters.Add(new NpgsqlParameter { Value = b });
                await release.ExecuteScalarAsync(ct);
            }
            await using var take = new NpgsqlCommand("select pg_try_advisory_lock($1, $2)", conn);
            take.Parameters.Add(new NpgsqlParameter { Value = a });
            take.Parameters.Add(new NpgsqlParameter { Value = b });
            if (!(bool)(await take.ExecuteScalarAsync(ct))!) continue;
            var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var runner = new ProjectionRunner(_store, consumer, _options, _wakeup);
            _options.Log?.Invoke($"{_options.NodeId} runs {consumer.Name}");
            lock (_running) _running[consumer.Name] = (Task.Run(() => Guarded(consumer.Name, runner.RunAsync(cts.Token)), CancellationToken.None), cts);
        }
    }

    private async Task StopRunnersAsync()
    {
        List<(Task Task, CancellationTokenSource Cts)> all;
        lock (_running)
        {
            all = _running.Values.ToList();
            _running.Clear();
        }
        foreach (var r in all) await r.Cts.CancelAsync();
        foreach (var r in all) await Quietly(r.Task);
    }

    private async Task ListenLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var conn = new NpgsqlConnection(_store.DedicatedConnection($"dcassets-listen {_options.NodeId}"));
                await conn.OpenAsync(ct);
                conn.Notification += (_, _) => _wakeup.Set();
                await using (var listen = new NpgsqlCommand($"listen {_store.NotificationChannel}", conn)) await listen.ExecuteNonQueryAsync(ct);
                while (!ct.IsCancellationRequested) await conn.WaitAsync(ct);
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                await Quietly(Task.Delay(_options.LeaseInterval, ct)); // the poll fallback covers the gap
            }
            catch (OperationCanceledException) { }
        }
    }

    private async Task Guarded(string name, Task run)
    {
        try { await run; }
        catch (OperationCanceledException) { }
        catch (Exception ex) { _options.Log?.Invoke($"{name} stopped on {_options.NodeId}: {ex.Message}"); }
    }

    private static async Task Quietly(Task t)
    {
        try { await t; }
        catch (OperationCanceledException) { }
    }
}
