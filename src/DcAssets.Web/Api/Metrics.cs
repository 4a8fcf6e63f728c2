using System.Diagnostics.Metrics;
using System.Globalization;
using Prometheus;

namespace DcAssets.Web.Api;

/// <summary>
/// What /metrics shows, kept and written by prometheus-net: requests by method, route and status (from ASP.NET
/// Core's http.server.request.duration), the store's figures read at scrape time, the process, and every
/// System.Diagnostics.Metrics meter in the process (Npgsql's, the runtime's, ASP.NET Core's, and whichever
/// libraries add theirs) through prometheus-net's meter adapter.
/// </summary>
/// <remarks>
/// The registry is this host's own, not prometheus-net's static default one: the tests run many hosts in one
/// process, each on its own database, and a callback left in a static registry by a disposed host would read a
/// closed store. A process that hosts one app (every deployment) sees no difference.
/// </remarks>
public sealed class DcAssetsMetrics : IDisposable
{
    private static readonly double[] Bounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private const string Hosting = "Microsoft.AspNetCore.Hosting", RequestDuration = "http.server.request.duration";

    private readonly Npgsql.NpgsqlDataSource _db;
    private readonly Histogram _requests;
    private readonly Counter _appended;
    private readonly Gauge _lag, _faulted;
    private readonly MeterListener _listener = new();
    private readonly IDisposable _meters;

    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();

    private readonly Marten.IDocumentStore _marten;

    public DcAssetsMetrics(Npgsql.NpgsqlDataSource db, Marten.IDocumentStore marten, IMeterFactory meterFactory)
    {
        _db = db;
        _marten = marten;
        var factory = Metrics.WithCustomRegistry(Registry);
        // Names, labels and buckets as the hand-written exposition had them, so dashboards keep working.
        _requests = factory.CreateHistogram("dcassets_http_request_duration_seconds",
            "HTTP requests handled, by method, route and status.", ["method", "route", "status"],
            new HistogramConfiguration { Buckets = Bounds });
        _appended = factory.CreateCounter("dcassets_events_appended_total",
            "Events appended to the store (its global position).");
        _lag = factory.CreateGauge("dcassets_projection_lag_events",
            "Events an async projection has still to apply.", "projection");
        _faulted = factory.CreateGauge("dcassets_projection_faulted",
            "Whether an async projection is faulted (1) or not (0).", "projection");
        Registry.AddBeforeCollectCallback(ReadStoreAsync);

        // Only this host's requests: its ASP.NET Core meter is scoped to its own meter factory.
        _listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == meterFactory && IsRequestDuration(instrument))
                l.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>(OnRequest);
        _listener.Start();

        // Process figures as prometheus-net's default registry has them (process_*, dotnet_collection_count_total).
        // Its event-counter adapter is left out: on .NET 9+ the System.Runtime meter carries the same figures.
        DotNetStats.Register(Registry);
        _meters = MeterAdapter.StartListening(new MeterAdapterOptions
        {
            Registry = Registry,
            // The options' default factory writes to the static default registry, whatever Registry says.
            MetricFactory = factory,
            // Request durations are above under our own name; a second copy would double the largest family.
            // The runtime's Private.InternalDiagnostics.* meters (MsQuic's, some 40 families) are not for users.
            InstrumentFilterPredicate = instrument => !IsRequestDuration(instrument)
                && !instrument.Meter.Name.StartsWith("Private.", StringComparison.Ordinal),
        });
    }

    private static bool IsRequestDuration(Instrument instrument) =>
        instrument.Meter.Name == Hosting && instrument.Name == RequestDuration;

    private void OnRequest(Instrument _, double seconds, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? __)
    {
        string method = "", route = "", status = "";
        foreach (var (key, value) in tags)
        {
            var text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
            switch (key)
            {
                case "http.request.method": method = text; break;
                case "http.route": route = text; break;
                case "http.response.status_code": status = text; break;
            }
        }
        _requests.WithLabels(method, route, status).Observe(seconds);
    }

    // Read from the store at each scrape rather than counted in this process: every node shows the same figures,
    // and they survive restarts.
    private async Task ReadStoreAsync(CancellationToken ct)
    {
        try
        {
            var db = _db;
            var m = _marten.Options.Events.DatabaseSchemaName;
            await using (var cmd = db.CreateCommand($"select coalesce(max(seq_id), 0) from {m}.mt_events"))
                _appended.IncTo((long)(await cmd.ExecuteScalarAsync(ct))!);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var p in await DcAssets.Projections.ProjectionBoard.StatusAsync(_marten, db, ct))
            {
                seen.Add(p.Name);
                _lag.WithLabels(p.Name).Set(p.EventsBehind);
                _faulted.WithLabels(p.Name).Set(p.State == DcAssets.Projections.ProjectionBoard.Faulted ? 1 : 0);
            }
            // A projection dropped from the store leaves no stale series behind.
            foreach (var gauge in new[] { _lag, _faulted })
                foreach (var labels in gauge.GetAllLabelValues().Where(l => !seen.Contains(l[0])).ToList())
                    gauge.RemoveLabelled(labels);
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
        {
            // A 503 without the driver's message: the endpoint is open and that message names hosts.
            throw new ScrapeFailedException("the event store did not answer", ex);
        }
    }

    public void Dispose()
    {
        _meters.Dispose();
        _listener.Dispose();
    }
}
