using Marten;
using Marten.Events;
using DcAssets.Telemetry;
using DcAssets.Telemetry.Readings;
using DcAssets.Tests.Telemetry.Infrastructure;

namespace DcAssets.Tests.Telemetry;

/// <summary>The hourly and daily rollups, run by Marten's async daemon, and raw-reading retention.</summary>
public sealed class RollupTests : IAsyncLifetime
{
    private readonly TelemetryHarness _h = new();

    public Task InitializeAsync() => _h.InitializeAsync();
    public Task DisposeAsync() => _h.DisposeAsync();

    [Fact]
    public async Task Readings_fold_into_hourly_and_daily_min_avg_max()
    {
        var hour = new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);
        long[] loads = [20, 30, 40, 50];
        for (var i = 0; i < loads.Length; i++)
        {
            var at = hour.AddMinutes(i * 20); // the last lands in the next hour
            await using var s = _h.Store.OpenSession(new Actor("poller:test", "poller", "system", EventSources.Poller));
            s.Events.Append(TelemetryStreams.Readings("ups-r1", at), new UpsReadingRecorded("ups-r1", "ups-mib", at, at, 3, "schedule",
                [new Reading("output_load.1", loads[i], 1, "%"), new Reading("battery_voltage", 540 + i, 0.1, "V")]));
            await s.SaveChangesAsync();
        }

        // Marten's async daemon, as a node runs it; the wait is Marten's own (every async shard at the head).
        using var daemon = await _h.Store.BuildProjectionDaemonAsync();
        await daemon.StartAllAsync();
        await _h.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
        await daemon.StopAllAsync();
        await using var q = _h.Store.QuerySession();
        var h10 = (await q.LoadAsync<HourlyReadingRollup>(ReadingRollup.Key("ups-r1", hour)))!;
        h10.Readings["output_load.1"].Should().Be(new RollupStats("%", 20, 40, 90, 3));
        h10.Readings["output_load.1"].Avg.Should().Be(30);
        h10.Readings["battery_voltage"].Max.Should().BeApproximately(54.2, 1e-9);
        var h11 = (await q.LoadAsync<HourlyReadingRollup>(ReadingRollup.Key("ups-r1", hour.AddHours(1))))!;
        h11.Readings["output_load.1"].Count.Should().Be(1);
        var day = (await q.LoadAsync<DailyReadingRollup>(ReadingRollup.Key("ups-r1", new DateTimeOffset(hour.UtcDateTime.Date, TimeSpan.Zero))))!;
        day.Readings["output_load.1"].Should().Be(new RollupStats("%", 20, 50, 140, 4));
    }

    [Fact]
    public async Task Raw_reading_streams_past_the_window_are_archived_and_stay_in_the_history()
    {
        var at = DateTimeOffset.UtcNow;
        await using (var s = _h.Store.OpenSession(Actor.System()))
        {
            s.Events.Append(TelemetryStreams.Readings("ups-r2", at), new UpsReadingRecorded("ups-r2", "ups-mib", at, at, 3, "schedule", [new Reading("battery_charge", 99, 1, "%")]));
            await s.SaveChangesAsync();
        }
        // The window is measured on the clock given: three days on, the day stream is past a one-day window and its
        // poll slot past the two days a repeated poll could still come in.
        (await ReadingRetention.ArchiveExpiredAsync(_h.Store, TimeSpan.FromDays(1), at)).Should().Be(0);
        (await _h.ScalarAsync<long>("select count(*) from dcassets.mt_doc_telemetry_poll_slots")).Should().Be(1);
        (await ReadingRetention.ArchiveExpiredAsync(_h.Store, TimeSpan.FromDays(1), at.AddDays(3))).Should().Be(1);
        await using var q = _h.Store.QuerySession();
        (await q.Events.FetchStreamAsync(TelemetryStreams.Readings("ups-r2", at))).Should().BeEmpty();
        var stream = TelemetryStreams.Readings("ups-r2", at);
        var archived = $"select count(*) from dcassets.mt_events where stream_id = '{stream}' and is_archived";
        (await _h.ScalarAsync<long>(archived))
            .Should().Be(1, "archived, not deleted: the chain and seals must still verify");
        (await _h.ScalarAsync<long>("select count(*) from dcassets.mt_doc_telemetry_poll_slots"))
            .Should().Be(0, "slots past two days are pruned");
    }
}
