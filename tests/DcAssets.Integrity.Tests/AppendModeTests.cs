using DcAssets.Integrity.Tests.Infrastructure;
using DcAssets.Testing;
using JasperFx.Events;
using Marten;

namespace DcAssets.Integrity.Tests;

public sealed class AppendModeTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Quick_append_is_the_default_and_every_event_it_writes_is_chained()
    {
        await using var store = await TestStores.CreateAsync(db);
        store.Options.Events.AppendMode.Should().Be(EventAppendMode.QuickWithServerTimestamps);
        await using (var s = TestStores.Session(store))
        {
            s.Events.StartStream("quick-1", new ThingMoved("R1", 1.5m), new ThingMoved("R2", 0.0000001m));
            await s.SaveChangesAsync();
        }
        await using (var s = TestStores.Session(store, "u-7"))
        {
            s.Events.Append("quick-1", new ThingNamed("rack \"A\" — ünïcode\n"));
            await s.SaveChangesAsync();
        }

        (await db.ScalarAsync<long>("select count(*) from mt_integrity_hashes where stream_id = 'quick-1'"))
            .Should().Be(3);
        (await new HistoryVerifier(store, TestStores.Key).VerifyAsync()).Problems.Should().BeEmpty();
    }

    [Fact]
    public async Task A_bulk_save_of_a_thousand_events_across_a_hundred_streams_is_chained()
    {
        await using var store = await TestStores.CreateAsync(db);
        await using (var s = TestStores.Session(store))
        {
            for (var i = 0; i < 1000; i++) s.Events.Append($"bulk-{i % 100}", new ThingMoved($"R{i}", i));
            await s.SaveChangesAsync();
        }

        (await db.ScalarAsync<long>("select count(*) from mt_integrity_hashes where stream_id like 'bulk-%'"))
            .Should().Be(1000);
        (await new HistoryVerifier(store, TestStores.Key).VerifyAsync()).Problems.Should().BeEmpty();
    }

    [Fact]
    public async Task Rich_append_mode_is_chained_too()
    {
        await using var store = TestStores.OptionsOnly(db, configure: o => o.Events.AppendMode = EventAppendMode.Rich);
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        await using (var s = TestStores.Session(store))
        {
            s.Events.StartStream("rich-1", new ThingMoved("R1", 1), new ThingMoved("R2", 2));
            await s.SaveChangesAsync();
        }
        await using (var s = TestStores.Session(store))
        {
            s.Events.Append("rich-1", new ThingNamed("x"));
            await s.SaveChangesAsync();
        }

        (await db.ScalarAsync<long>("select count(*) from mt_integrity_hashes where stream_id = 'rich-1'"))
            .Should().Be(3);
        (await new HistoryVerifier(store, TestStores.Key).VerifyAsync()).Problems.Should().BeEmpty();
    }

    [Fact]
    public async Task Several_events_of_one_stream_in_one_insert_statement_are_chained_in_version_order()
    {
        await using var store = await TestStores.CreateAsync(db);
        // What a bulk loader or a hand-written migration would do: one multi-row statement, no metadata.
        await db.ExecAsync("""
            insert into mt_streams (id, version) values ('multi-1', 3);
            insert into mt_events (seq_id, id, stream_id, version, data, type, timestamp, mt_dotnet_type)
            select nextval('mt_events_sequence'), gen_random_uuid(), 'multi-1', v,
                   jsonb_build_object('Room', 'R' || v, 'Position', v), 'thing_moved', now(), null
              from generate_series(1, 3) v;
            """);
        await using (var s = TestStores.Session(store))
        {
            s.Events.Append("multi-1", new ThingNamed("after the statement"));
            await s.SaveChangesAsync();
        }

        (await db.ScalarAsync<long>("select count(*) from mt_integrity_hashes where stream_id = 'multi-1'"))
            .Should().Be(4);
        (await db.ScalarAsync<long>("select count(distinct hash) from mt_integrity_hashes where stream_id = 'multi-1'"))
            .Should().Be(4);
        (await new HistoryVerifier(store, TestStores.Key).VerifyAsync()).Problems.Should().BeEmpty();
    }

    [Fact]
    public async Task The_migration_replaces_a_hash_function_of_an_older_revision()
    {
        await using (await TestStores.CreateAsync(db)) { }
        // An older revision installed: here one that chains nothing.
        await db.ExecAsync("""
            create or replace function mt_integrity_hash_event() returns trigger language plpgsql
                as $f$ begin return new; end $f$;
            comment on function mt_integrity_hash_event() is 'integrity-r0';
            """);

        await using var store = await TestStores.CreateAsync(db);
        await using (var s = TestStores.Session(store))
        {
            s.Events.StartStream("upgraded-1", new ThingMoved("R1", 1), new ThingNamed("x"));
            await s.SaveChangesAsync();
        }

        (await db.ScalarAsync<string>("select obj_description('mt_integrity_hash_event'::regproc, 'pg_proc')"))
            .Should().NotBe("integrity-r0");
        (await db.ScalarAsync<long>("select count(*) from mt_integrity_hashes where stream_id = 'upgraded-1'"))
            .Should().Be(2);
        (await new HistoryVerifier(store, TestStores.Key).VerifyAsync()).Problems.Should().BeEmpty();
    }
}
