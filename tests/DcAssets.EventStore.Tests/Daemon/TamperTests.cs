using System.Text;
using DcAssets.EventStore.Daemon;
using DcAssets.EventStore.Hashing;
using DcAssets.EventStore.Integrity;
using DcAssets.EventStore.Tests.Infrastructure;
using Npgsql;

namespace DcAssets.EventStore.Tests.Daemon;

public sealed class TamperTests
{
    private static readonly SealingOptions Key = new(Encoding.UTF8.GetBytes("a test seal key that is long enough to use")) { EveryEvents = 40 };

    /// <summary>A database with 300 events over 6 streams, sealed to the end by a real daemon run.</summary>
    private static async Task<(TestDatabase Db, EventStore Store)> SealedHistoryAsync()
    {
        var db = new TestDatabase();
        await db.InitializeAsync();
        var options = TestStores.Options(db.ConnectionString);
        options.Sealing = Key with { Every = TimeSpan.FromMilliseconds(100) };
        var store = await EventStore.CreateAsync(options);
        for (var save = 0; save < 30; save++)
        {
            await using var s = store.OpenSession(TestStores.Engineer);
            for (var i = 0; i < 10; i++) s.Events.Append($"audit-{(save + i) % 6}", new ThingMoved($"R{save}", i));
            await s.SaveChangesAsync();
        }
        await using (var daemon = new ProjectionDaemon(store, ProjectionDaemon.DefaultConsumers(store),
                         new DaemonOptions { PollInterval = TimeSpan.FromMilliseconds(100), LeaseInterval = TimeSpan.FromMilliseconds(100) }))
        {
            await daemon.StartAsync();
            await Wait.UntilAsync(async () => await db.ScalarAsync<bool>(
                "select coalesce((select max(up_to_seq) from dcassets.seals), 0) = (select max(seq) from dcassets.events)"), TimeSpan.FromSeconds(30), "all sealed");
        }
        return (db, store);
    }

    private static async Task<long> PositionAsync(TestDatabase db, string stream, int version) =>
        await db.ScalarAsync<long>($"select seq from dcassets.events where stream_id = '{stream}' and version = {version}");

    [Fact]
    public async Task An_untouched_history_verifies_intact()
    {
        var (db, store) = await SealedHistoryAsync();
        await using (store)
        {
            var report = await new HistoryVerifier(store, Key).VerifyAsync();
            report.Problems.Should().BeEmpty();
            report.EventsChecked.Should().Be(300);
            report.SealsChecked.Should().BeGreaterThanOrEqualTo(7);
            (await new HistoryVerifier(store, Key).VerifyAsync(fromPosition: 200)).Problems.Should().BeEmpty("incremental checks start from a seal");
        }
        await db.DisposeAsync();
    }

    public static TheoryData<string> Tamperings => ["update data", "update metadata", "delete event", "insert forged event", "rewritten stream chain", "rewritten seal"];

    [Theory]
    [MemberData(nameof(Tamperings))]
    public async Task Tampering_behind_the_application_is_found_and_named_by_position(string tampering)
    {
        var (db, store) = await SealedHistoryAsync();
        await using (store)
        {
            var target = await PositionAsync(db, "audit-2", 20);
            long expected = target;
            switch (tampering)
            {
                case "update data":
                    await db.ExecAsync($"update dcassets.events set data = jsonb_set(data::jsonb, '{{room}}', '\"R99\"')::json where seq = {target}");
                    break;
                case "update metadata":
                    await db.ExecAsync($"update dcassets.events set metadata = jsonb_set(metadata::jsonb, '{{actorName}}', '\"Someone Else\"')::json where seq = {target}");
                    break;
                case "delete event":
                    expected = await PositionAsync(db, "audit-2", 21); // the next event no longer follows its predecessor
                    await db.ExecAsync($"delete from dcassets.events where seq = {target}");
                    break;
                case "insert forged event":
                    expected = await ForgeAppendAsync(db, store, "audit-2");
                    break;
                case "rewritten stream chain":
                    await RewriteStreamAsync(db, store, "audit-2", fromVersion: 20);
                    expected = -1; // only the seal can tell; it names the first position of its range
                    break;
                case "rewritten seal":
                    expected = await db.ScalarAsync<long>("select up_to_seq from dcassets.seals order by id offset 2 limit 1");
                    await db.ExecAsync("update dcassets.seals set event_count = event_count + 1 where id = (select id from dcassets.seals order by id offset 2 limit 1)");
                    break;
            }

            var report = await new HistoryVerifier(store, Key).VerifyAsync();
            report.Intact.Should().BeFalse();
            if (expected > 0)
                report.Problems.Should().Contain(p => p.Position == expected, $"{tampering} must be named at position {expected}; got {string.Join(" | ", report.Problems)}");
            else
            {
                // Rewriting the chain from the changed event on alters every later hash of the stream, so every
                // seal from the first affected range on disagrees; the first names where it starts.
                var seal = report.First!;
                seal.Position.Should().BeLessThanOrEqualTo(target);
                seal.Reason.Should().Contain("changed");
                report.Problems.Should().OnlyContain(p => p.Reason.Contains("seal"), "the rewritten chain itself is consistent");
            }
        }
        await db.DisposeAsync();
    }

    // A forger who knows the algorithm appends a perfectly chained event, but cannot update the seals or streams record consistently.
    private static async Task<long> ForgeAppendAsync(TestDatabase db, EventStore store, string stream)
    {
        var last = await store.QuerySession().Events.FetchStreamAsync(stream);
        var lastHash = await db.ScalarAsync<byte[]>($"select hash from dcassets.events where stream_id = '{stream}' order by version desc limit 1");
        var at = DateTimeOffset.UtcNow;
        at = new DateTimeOffset(at.UtcTicks - at.UtcTicks % 10, TimeSpan.Zero);
        const string data = """{"room":"R-forged","position":1}""";
        const string meta = """{"actorId":"u-42","actorName":"Li Wei"}""";
        var version = last.Count + 1;
        var hash = EventDigest.Chain(lastHash, version, EventDigest.Compute(stream, "thing_moved", Encoding.UTF8.GetBytes(data), Encoding.UTF8.GetBytes(meta), at));
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "insert into dcassets.events (stream_id, version, type, data, metadata, recorded_at, hash) values ($1, $2, 'thing_moved', $3::json, $4::json, $5, $6) returning seq", conn);
        foreach (var v in new object[] { stream, (long)version, data, meta, at, hash }) cmd.Parameters.Add(new NpgsqlParameter { Value = v });
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    // Change an event and recompute its stream's whole chain and head: every per-stream check passes.
    private static async Task RewriteStreamAsync(TestDatabase db, EventStore store, string stream, int fromVersion)
    {
        await db.ExecAsync($"update dcassets.events set data = jsonb_set(data::jsonb, '{{room}}', '\"R-rewritten\"')::json where stream_id = '{stream}' and version = {fromVersion}");
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        var rows = new List<(long Seq, long Version, string Type, string Data, string Meta, DateTimeOffset At)>();
        await using (var read = new NpgsqlCommand($"select seq, version, type, data::text, metadata::text, recorded_at from dcassets.events where stream_id = '{stream}' order by version", conn))
        await using (var r = await read.ExecuteReaderAsync())
            while (await r.ReadAsync()) rows.Add((r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetFieldValue<DateTimeOffset>(5)));
        var previous = Array.Empty<byte>();
        foreach (var row in rows)
        {
            previous = EventDigest.Chain(previous, row.Version,
                EventDigest.Compute(stream, row.Type, Encoding.UTF8.GetBytes(row.Data), Encoding.UTF8.GetBytes(row.Meta), row.At));
            await using var write = new NpgsqlCommand("update dcassets.events set hash = $1 where seq = $2", conn);
            write.Parameters.Add(new NpgsqlParameter { Value = previous });
            write.Parameters.Add(new NpgsqlParameter { Value = row.Seq });
            await write.ExecuteNonQueryAsync();
        }
        await using var head = new NpgsqlCommand($"update dcassets.streams set last_hash = $1 where id = '{stream}'", conn);
        head.Parameters.Add(new NpgsqlParameter { Value = previous });
        await head.ExecuteNonQueryAsync();
    }
}
