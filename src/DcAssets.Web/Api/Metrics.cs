using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace DcAssets.Web.Api;

/// <summary>
/// /metrics in Prometheus text format. Request counts and latencies come from ASP.NET Core's own
/// System.Diagnostics.Metrics instruments (http.server.request.duration), gathered by a MeterListener;
/// events appended and projection lag are read from the store at scrape time.
/// </summary>
public sealed class PrometheusMetrics : IDisposable
{
    private static readonly double[] Bounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    private static readonly string[] Labels = ["http.request.method", "http.route", "http.response.status_code"];
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, Series> _requests = new();

    private sealed class Series
    {
        public long Count;
        public double Sum;
        public readonly long[] Buckets = new long[Bounds.Length];
    }

    public PrometheusMetrics()
    {
        _listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Microsoft.AspNetCore.Hosting" && instrument.Name == "http.server.request.duration")
                l.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<double>((_, seconds, tags, _) =>
        {
            var values = new string[Labels.Length];
            foreach (var t in tags)
            {
                var i = Array.IndexOf(Labels, t.Key);
                if (i >= 0) values[i] = Convert.ToString(t.Value, CultureInfo.InvariantCulture) ?? "";
            }
            var key = $"method=\"{Esc(values[0])}\",route=\"{Esc(values[1])}\",status=\"{Esc(values[2])}\"";
            var s = _requests.GetOrAdd(key, _ => new Series());
            lock (s)
            {
                s.Count++;
                s.Sum += seconds;
                for (var b = 0; b < Bounds.Length; b++) if (seconds <= Bounds[b]) s.Buckets[b]++;
            }
        });
        _listener.Start();
    }

    public async Task WriteAsync(EventStore.EventStore store, TextWriter w, CancellationToken ct)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# HELP dcassets_http_request_duration_seconds HTTP requests handled, by method, route and status.");
        sb.AppendLine("# TYPE dcassets_http_request_duration_seconds histogram");
        foreach (var (key, s) in _requests.OrderBy(k => k.Key, StringComparer.Ordinal))
            lock (s)
            {
                for (var b = 0; b < Bounds.Length; b++)
                    sb.AppendLine($"dcassets_http_request_duration_seconds_bucket{{{key},le=\"{Bounds[b].ToString(CultureInfo.InvariantCulture)}\"}} {s.Buckets[b]}");
                sb.AppendLine($"dcassets_http_request_duration_seconds_bucket{{{key},le=\"+Inf\"}} {s.Count}");
                sb.AppendLine($"dcassets_http_request_duration_seconds_sum{{{key}}} {s.Sum.ToString("R", CultureInfo.InvariantCulture)}");
                sb.AppendLine($"dcassets_http_request_duration_seconds_count{{{key}}} {s.Count}");
            }

        await using (var cmd = store.DataSource.CreateCommand($"select coalesce(max(seq), 0) from {store.Schema}.events"))
        {
            var appended = (long)(await cmd.ExecuteScalarAsync(ct))!;
            sb.AppendLine("# HELP dcassets_events_appended_total Events appended to the store (its global position).");
            sb.AppendLine("# TYPE dcassets_events_appended_total counter");
            sb.AppendLine($"dcassets_events_appended_total {appended}");
        }
        await using (var cmd = store.DataSource.CreateCommand(
            $"select p.name, p.state, greatest((select coalesce(max(seq), 0) from {store.Schema}.events) - p.last_seq, 0) from {store.Schema}.projection_progress p order by p.name"))
        {
            sb.AppendLine("# HELP dcassets_projection_lag_events Events an async projection has still to apply.");
            sb.AppendLine("# TYPE dcassets_projection_lag_events gauge");
            await using var r = await cmd.ExecuteReaderAsync(ct);
            var faulted = new List<string>();
            while (await r.ReadAsync(ct))
            {
                sb.AppendLine($"dcassets_projection_lag_events{{projection=\"{Esc(r.GetString(0))}\"}} {r.GetInt64(2)}");
                if (r.GetString(1) == "faulted") faulted.Add(r.GetString(0));
            }
            sb.AppendLine("# HELP dcassets_projection_faulted Whether an async projection is faulted (1) or not.");
            sb.AppendLine("# TYPE dcassets_projection_faulted gauge");
            foreach (var name in faulted) sb.AppendLine($"dcassets_projection_faulted{{projection=\"{Esc(name)}\"}} 1");
        }
        await w.WriteAsync(sb.ToString());
    }

    private static string Esc(string? s) => (s ?? "").Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

    public void Dispose() => _listener.Dispose();
}
