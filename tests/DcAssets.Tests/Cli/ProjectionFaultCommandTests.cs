using DcAssets.Testing;
using DcAssets.Projections;
using DcAssets.Telemetry;
using DcAssets.Telemetry.Readings;
using DcAssets.Tests.Telemetry.Infrastructure;
using Marten;
using Marten.Events;
using Npgsql;

namespace DcAssets.Tests.Cli;

/// <summary>
/// An async projection that throws stops at the event, which <c>dcassets projections status</c> and the health check
/// name, and <c>projections resume</c> runs it again once the cause is put right.
/// </summary>
public sealed class ProjectionFaultCommandTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private const string Hourly = TelemetrySlice.HourlyRollups, Daily = TelemetrySlice.DailyRollups;

    [Fact]
    public async Task A_rollup_that_throws_stops_at_the_event_named_in_status_and_runs_again_after_resume()
    {
        using var store = await ProductStore.OpenAsync(db.ConnectionString);
        var at = new DateTimeOffset(2026, 3, 1, 10, 30, 0, TimeSpan.Zero);
        var poller = new Actor("poller:test", "poller", "system", EventSources.Poller);
        await using (var s = store.OpenSession(poller))
        {
            s.Events.Append(TelemetryStreams.Readings("ups-f", at), new UpsReadingRecorded("ups-f", "ups-mib", at, at,
                3, "schedule", [new Reading("output_load.1", 20, 1, "%")]));
            // An earlier poll without its readings: the tile keeps the later poll, but the rollups cannot fold it.
            var earlier = at.AddMinutes(-1);
            s.Events.Append(TelemetryStreams.Readings("ups-f", at), new UpsReadingRecorded("ups-f", "ups-mib", earlier,
                earlier, 3, "schedule", null!));
            await s.SaveChangesAsync();
        }
        var poison = await db.ScalarAsync<long>("select max(seq_id) from dcassets.mt_events");

        // A node: Marten's daemon, and its turn at the requests every tenth of a second.
        await using var node = await ProjectionNode.StartAsync(store, db.ConnectionString);

        async Task<AsyncProjectionStatus> StatusOf(string name) =>
            (await ProjectionBoard.StatusAsync(store, node.Db, default)).Single(p => p.Name == name);
        (await TelemetryHarness.EventuallyAsync(async () => (await StatusOf(Hourly)).State == ProjectionBoard.Faulted,
            TimeSpan.FromSeconds(30))).Should().BeTrue("the rollup stops at the event it cannot fold");
        var faulted = await StatusOf(Hourly);
        faulted.LastError.Should().Contain($"#{poison}").And.Contain("ups_reading_recorded");
        faulted.ErrorPosition.Should().Be(poison);
        (await ProjectionBoard.FaultsAsync(store, node.Db, default)).Should().Contain(f => f.StartsWith(Hourly + ": "),
            "the health check answers from the same faults");
        var status = CliProcess.Run(db.ConnectionString, "projections", "status");
        status.Exit.Should().Be(0, status.Err);
        status.Out.Should().MatchRegex($@"{Hourly}\s+faulted").And.Contain($"(at position {poison})");

        // The cause put right (here, the event's readings), both rollups are resumed and catch up.
        await db.ExecAsync(
            $"update dcassets.mt_events set data = jsonb_set(data, '{{readings}}', '[]') where seq_id = {poison}");
        foreach (var name in new[] { Hourly, Daily })
        {
            var resumed = CliProcess.Run(db.ConnectionString, "projections", "resume", name);
            resumed.Exit.Should().Be(0, resumed.Err);
            resumed.Out.Trim().Should().Be($"{name} resumed");
        }
        (await TelemetryHarness.EventuallyAsync(async () =>
                (await StatusOf(Hourly)) is { State: ProjectionBoard.Running } s && s.Position == s.Head,
                TimeSpan.FromSeconds(30)))
            .Should().BeTrue("the node runs it again from where it stopped");
        await store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
        await using (var q = store.QuerySession())
            (await q.LoadAsync<HourlyReadingRollup>(ReadingRollup.Key("ups-f", at)))!.Readings["output_load.1"].Count
                .Should().Be(1);

    }
}
