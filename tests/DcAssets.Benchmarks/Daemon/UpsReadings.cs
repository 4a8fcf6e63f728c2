using System.Diagnostics;
using DcAssets.Telemetry;
using DcAssets.Telemetry.Profiles;
using DcAssets.Telemetry.Readings;
using Marten;

namespace DcAssets.Benchmarks.Daemon;

/// <summary>
/// Reading events as the poller appends them: one <see cref="UpsReadingRecorded"/> per device and scheduled minute,
/// every reading of the RFC 1628 UPS profile (36 values, raw and scaled as an agent gives them), on the product's
/// reading streams (one per device and day).
/// </summary>
internal static class UpsReadings
{
    public const int Devices = 500, PerSave = 5000;

    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly IReadOnlyList<ReadingDefinition> Profile =
        new ProfileCatalog().Get(BuiltInProfiles.UpsMib).Readings;

    /// <summary>The n-th event: devices round-robin, a minute further every <see cref="Devices"/> events.</summary>
    public static (string Stream, UpsReadingRecorded Reading) Event(int n) =>
        Event(n % Devices, Start.AddMinutes(n / Devices), n);

    public static (string Stream, UpsReadingRecorded Reading) Event(int device, DateTimeOffset scheduledAt, int n)
    {
        var asset = $"UPS{device:D4}";
        // Values move a little from poll to poll, as real ones do, so the rollups' min and max mean something.
        var readings = Profile.Select((d, i) => new Reading(d.Name, 100 + (n + i) % 17, d.Scale, d.Unit)).ToList();
        var e = new UpsReadingRecorded(asset, BuiltInProfiles.UpsMib, scheduledAt, scheduledAt.AddMilliseconds(40),
            38.5, PollTriggers.Schedule, readings);
        return (TelemetryStreams.Readings(asset, scheduledAt), e);
    }

    /// <summary>
    /// Appends <paramref name="total"/> events through the product (a poller's sessions, the inline read models and
    /// the trigger), <see cref="PerSave"/> per save like a large poll cycle; not timed, noted. Then vacuums.
    /// </summary>
    public static async Task LoadAsync(IDocumentStore store, BenchDatabase db, int total, CancellationToken ct)
    {
        var load = Stopwatch.StartNew();
        for (var done = 0; done < total; done += PerSave)
        {
            await using var session = store.OpenSession(ProductStore.Poller());
            for (var n = done; n < Math.Min(total, done + PerSave); n++)
            {
                var (stream, reading) = Event(n);
                session.Events.Append(stream, reading);
            }
            await session.SaveChangesAsync(ct);
        }
        BenchContext.Note($"   loaded {total} reading events in {load.Elapsed.TotalSeconds:0.0}s");
        await db.ExecAsync("vacuum analyze");
    }
}
