using System.Text.RegularExpressions;
using DcAssets.Testing;
using DcAssets.Projections;
using DcAssets.Telemetry;
using DcAssets.Telemetry.Readings;
using Marten;
using Marten.Events;
using Npgsql;

namespace DcAssets.Tests.Cli;

/// <summary>
/// <c>dcassets projections rebuild NAME</c> as an operator runs it on a projection in Marten's async daemon: alone,
/// and while a node runs the projection.
/// </summary>
public sealed class ProjectionsCommandTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    private const string Hourly = TelemetrySlice.HourlyRollups;

    [Fact]
    public async Task Rebuild_shows_progress_and_ends_equal_to_a_fold_from_scratch_offline_and_through_the_running_node()
    {
        using var store = await ProductStore.OpenAsync(db.ConnectionString);
        await AppendReadingsAsync(store, from: 0, count: 2000); // 6,000 events
        await db.ExecAsync(
            $"insert into dcassets.mt_doc_{Hourly} (id, data, mt_dotnet_type) values ('bogus', '{{}}', 'x')");

        // No node runs it: the command rebuilds it with a daemon of its own.
        var offline = CliProcess.Run(db.ConnectionString, "projections", "rebuild", Hourly);
        offline.Exit.Should().Be(0, offline.Err);
        Regex.Matches(offline.Err, $@"rebuilding {Hourly}: \d+ ?% \(\d+/\d+\)").Count.Should().BeGreaterThan(1, "progress is shown as it goes: " + offline.Err);
        offline.Err.Should().MatchRegex(@"100 ?% \((\d+)/\1\)");
        var head = await db.ScalarAsync<long>("select max(seq_id) from dcassets.mt_events");
        offline.Out.Should().Contain($"rebuilt {Hourly} up to position {head}");
        (await MismatchesAsync()).Should().Be(0);
        (await db.ScalarAsync<long>($"select count(*) from dcassets.mt_doc_{Hourly} where id = 'bogus'"))
            .Should().Be(0, "the old documents were replaced whole");

        // A node runs it: the command asks that node and follows its progress until the node is done.
        await using var node = await ProjectionNode.StartAsync(store, db.ConnectionString);
        await AppendReadingsAsync(store, from: 2000, count: 300);
        await db.ExecAsync($"update dcassets.mt_doc_{Hourly} set data = jsonb_set(data, '{{assetId}}', '\"spoiled\"')");

        var online = CliProcess.Run(db.ConnectionString, "projections", "rebuild", Hourly);
        online.Exit.Should().Be(0, online.Err);
        online.Err.Should().Contain($"{Hourly} runs on node-1; asked it to rebuild");
        online.Out.Should().MatchRegex($@"rebuilt {Hourly} up to position \d+");
        await store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        (await MismatchesAsync()).Should().Be(0);
        var spoiled = $"select count(*) from dcassets.mt_doc_{Hourly} where data->>'assetId' = 'spoiled'";
        (await db.ScalarAsync<long>(spoiled)).Should().Be(0);

        var status = CliProcess.Run(db.ConnectionString, "projections", "status");
        status.Exit.Should().Be(0, status.Err);
        status.Out.Should().MatchRegex($@"{Hourly}\s+running\s+(\d+)\s+\1\s+0");
    }

    private static async Task AppendReadingsAsync(IDocumentStore store, int from, int count)
    {
        var start = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        string[] assets = ["ups-a", "ups-b", "ups-c"];
        for (var batch = from; batch < from + count; batch += 500)
        {
            await using var s = store.OpenSession(new Actor("poller:test", "poller", "system", EventSources.Poller));
            for (var i = batch; i < Math.Min(batch + 500, from + count); i++)
                foreach (var asset in assets)
                {
                    var at = start.AddMinutes(i);
                    s.Events.Append(TelemetryStreams.Readings(asset, at), new UpsReadingRecorded(asset, "ups-mib", at, at, 3, "schedule",
                        [new Reading("output_load.1", (i * 7 + asset[^1]) % 100, 1, "%"), new Reading("battery_voltage", 500 + i % 50, 0.1, "V")]));
                }
            await s.SaveChangesAsync();
        }
    }

    // The rollup computed from the events in SQL, compared field by field with the documents (both ways).
    private Task<long> MismatchesAsync() => db.ScalarAsync<long>($"""
        with r as (
            select e.data->>'assetId' as asset,
                   to_char(date_trunc('hour', (e.data->>'scheduledAt')::timestamptz at time zone 'UTC'), 'YYYYMMDD"T"HH24') as hour,
                   x->>'name' as name, (x->>'raw')::float8 * (x->>'scale')::float8 as v
              from dcassets.mt_events e, jsonb_array_elements(e.data->'readings') x
             where e.type = 'ups_reading_recorded'),
        f as (select asset || ':' || hour as id, name, count(*) as n, min(v) as lo, max(v) as hi, sum(v) as total from r group by 1, 2),
        d as (select d.id, s.key as name, (s.value->>'count')::bigint as n, (s.value->>'min')::float8 as lo, (s.value->>'max')::float8 as hi,
                     (s.value->>'sum')::float8 as total
                from dcassets.mt_doc_{Hourly} d left join lateral jsonb_each(d.data->'readings') s on true)
        select count(*) from f full join d on d.id = f.id and d.name = f.name
         where f.id is null or d.id is null or d.n <> f.n or abs(d.lo - f.lo) > 1e-6 or abs(d.hi - f.hi) > 1e-6 or abs(d.total - f.total) > 1e-6
        """);
}
