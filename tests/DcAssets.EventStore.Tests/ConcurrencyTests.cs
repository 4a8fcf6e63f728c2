using System.Collections.Concurrent;
using DcAssets.EventStore.Tests.Infrastructure;

namespace DcAssets.EventStore.Tests;

public sealed class ConcurrencyTests(TestDatabase db) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Eight_writers_on_one_stream_one_winner_per_version_no_gaps_no_burnt_positions()
    {
        await using var store = await TestStores.OpenAsync(db.ConnectionString);
        const string stream = "thing-contended";
        const int target = 200;
        var conflicts = new ConcurrentBag<ConcurrencyException>();
        var wins = new ConcurrentBag<(int Writer, long Version)>();

        async Task Writer(int id)
        {
            for (var attempt = 0; ; attempt++)
            {
                // A store that refuses every append must fail this test, not hang it.
                attempt.Should().BeLessThan(20 * target, "writers must make progress");
                var state = await store.QuerySession().Events.StreamStateAsync(stream);
                var version = state?.Version ?? 0;
                if (version >= target) return;
                await using var s = store.OpenSession(TestStores.Engineer);
                s.Events.Append(stream, version, new Counted(id, attempt));
                try
                {
                    var result = await s.SaveChangesAsync();
                    wins.Add((id, result.Events.Single().Version));
                }
                catch (ConcurrencyException ex) { conflicts.Add(ex); }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => Writer(i))));

        var events = await store.QuerySession().Events.FetchStreamAsync(stream);
        events.Select(e => e.Version).Should().Equal(Enumerable.Range(1, events.Count).Select(v => (long)v), "no gaps, no duplicates");
        events.Count.Should().BeGreaterThanOrEqualTo(target);
        wins.Select(w => w.Version).Should().OnlyHaveUniqueItems("exactly one writer wins each version");
        wins.Should().HaveCount(events.Count);
        events.Select(e => (((Counted)e.Data).Writer, e.Version)).Should().BeEquivalentTo(wins.Select(w => (w.Writer, w.Version)));
        conflicts.Should().NotBeEmpty("eight writers on one stream must collide");
        conflicts.Should().OnlyContain(c => c.StreamId == stream && c.ActualVersion > c.ExpectedVersion);

        // Losers took no sequence value: positions of the stream are contiguous.
        var span = await db.ScalarAsync<long>($"select max(seq) - min(seq) + 1 from dcassets.events where stream_id = '{stream}'");
        span.Should().Be(events.Count);
    }

    [Fact]
    public async Task Starting_a_stream_that_exists_is_a_concurrency_error_naming_the_versions()
    {
        await using var store = await TestStores.OpenAsync(db.ConnectionString);
        await using var s = store.OpenSession(TestStores.Engineer);
        s.Events.StartStream("thing-twice", new ThingRegistered("T-1", "R1"));
        await s.SaveChangesAsync();
        s.Events.StartStream("thing-twice", new ThingRegistered("T-1", "R1"));
        var ex = (await s.Invoking(x => x.SaveChangesAsync()).Should().ThrowAsync<ConcurrencyException>()).Which;
        ex.StreamId.Should().Be("thing-twice");
        ex.ExpectedVersion.Should().Be(0);
        ex.ActualVersion.Should().Be(1);
    }
}
