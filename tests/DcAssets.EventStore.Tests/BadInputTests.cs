using DcAssets.EventStore.Tests.Infrastructure;
using Npgsql;

namespace DcAssets.EventStore.Tests;

public sealed record Unregistered(string X);

public sealed class BadInputTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task An_unknown_type_on_read_names_the_type_and_position()
    {
        await using (var store = await TestStores.OpenAsync(db.ConnectionString))
        await using (var s = store.OpenSession(TestStores.Engineer))
        {
            s.Events.StartStream("thing-unknown", new Blob("x"));
            await s.SaveChangesAsync();
        }
        var narrow = new EventStoreOptions { ConnectionString = db.ConnectionString };
        narrow.Events.Register<ThingRegistered>("thing_registered");
        await using var reader = await EventStore.CreateAsync(narrow);
        var position = await db.ScalarAsync<long>("select seq from dcassets.events where stream_id = 'thing-unknown'");
        var ex = (await reader.QuerySession().Events.Invoking(r => r.FetchStreamAsync("thing-unknown"))
            .Should().ThrowAsync<UnknownEventTypeException>()).Which;
        ex.TypeName.Should().Be("blob");
        ex.Position.Should().Be(position);
        ex.Message.Should().Contain("blob").And.Contain(position.ToString());
    }

    [Fact]
    public async Task Oversized_events_unregistered_types_and_bad_stream_ids_never_reach_the_database()
    {
        await using var store = await TestStores.OpenAsync(db.ConnectionString);
        var before = await db.ScalarAsync<long>("select count(*) from dcassets.events");
        await using var s = store.OpenSession(TestStores.Engineer);

        s.Events.StartStream("thing-big", new Blob(new string('x', 1024 * 1024 + 1)));
        (await s.Invoking(x => x.SaveChangesAsync()).Should().ThrowAsync<EventTooLargeException>()).Which.Limit.Should().Be(1024 * 1024);

        await using var s2 = store.OpenSession(TestStores.Engineer);
        s2.Events.StartStream("thing-unreg", new Unregistered("?"));
        await s2.Invoking(x => x.SaveChangesAsync()).Should().ThrowAsync<UnknownEventTypeException>().WithMessage("*Unregistered*");

        foreach (var bad in new[] { "", " lead", "has space", "-dash", new string('a', 201), "semi;colon", "机房" })
            s.Events.Invoking(e => e.Append(bad, new ThingMoved("R", 1))).Should().Throw<InvalidStreamIdException>().WithMessage("*letters, digits*");

        (await db.ScalarAsync<long>("select count(*) from dcassets.events")).Should().Be(before);
    }

    [Fact]
    public async Task A_database_that_is_down_gives_a_typed_error_and_the_next_call_reconnects()
    {
        var down = new NpgsqlConnectionStringBuilder(db.ConnectionString) { Host = "127.0.0.1", Port = 1, Timeout = 2 }.ConnectionString;
        await FluentActions.Invoking(() => TestStores.OpenAsync(down)).Should().ThrowAsync<EventStoreUnavailableException>();

        await using var store = await TestStores.OpenAsync(db.ConnectionString);
        await using (var s = store.OpenSession(TestStores.Engineer))
        {
            s.Events.StartStream("thing-reconnect", new ThingRegistered("RC", "R1"));
            await s.SaveChangesAsync();
        }
        // Kill every server connection the pool holds: the next session must reconnect by itself.
        await db.ExecAsync($"select pg_terminate_backend(pid) from pg_stat_activity where datname = '{db.Name}' and pid <> pg_backend_pid()");
        var ok = false;
        for (var attempt = 0; attempt < 3 && !ok; attempt++)
        {
            try
            {
                await using var s = store.OpenSession(TestStores.Engineer);
                s.Events.Append("thing-reconnect", new ThingMoved("R2", 1));
                await s.SaveChangesAsync();
                ok = true;
            }
            catch (EventStoreUnavailableException) { /* a broken pooled connection surfaces once, typed */ }
        }
        ok.Should().BeTrue();
        (await store.QuerySession().Events.FetchStreamAsync("thing-reconnect")).Should().HaveCount(2);
    }
}
