using System.Text.Json;
using System.Text.Json.Nodes;
using DcAssets.EventStore;
using DcAssets.Identity;
using Marten;

namespace DcAssets.Tests.Identity;

/// <summary>
/// The re-platform's promise for Identity: the same history gives the same read models on Marten as in our store,
/// so the web code can switch from one to the other without anyone seeing a difference.
/// </summary>
public sealed class IdentityOnMartenTests(IdentityOnBothStores both) : IClassFixture<IdentityOnBothStores>
{
    [Fact]
    public async Task Every_user_is_stored_on_Marten_as_the_same_json_as_in_our_store()
    {
        var ours = await OurJsonAsync<User>();
        ours.Keys.Should().BeEquivalentTo(["user-alice", "user-bob", "user-carol"]);
        ShouldBeTheSame(ours, await MartenJsonAsync<User>());
    }

    [Fact]
    public async Task Every_api_token_is_stored_on_Marten_as_the_same_json_as_in_our_store()
    {
        var ours = await OurJsonAsync<ApiTokenRecord>();
        ours.Should().HaveCount(3);
        ShouldBeTheSame(ours, await MartenJsonAsync<ApiTokenRecord>());
    }

    [Fact]
    public async Task A_user_loads_from_Marten_by_name_as_the_web_code_loads_it_from_our_store()
    {
        foreach (var name in new[] { "alice", "bob", "carol" })
            await ShouldLoadTheSameAsync<User>(User.StreamId(name));
    }

    [Fact]
    public async Task An_api_token_loads_from_Marten_by_token_id_as_the_bearer_check_loads_it_from_our_store()
    {
        await using var q = both.Ours.QuerySession();
        foreach (var token in await q.Query<ApiTokenRecord>().ToListAsync())
            await ShouldLoadTheSameAsync<ApiTokenRecord>(token.Id);
    }

    [Fact]
    public async Task The_sign_in_log_has_the_same_names_outcomes_and_details_in_the_same_order()
    {
        var (ours, marten) = await SignInLogsAsync();
        ours.Should().HaveCount(7);
        marten.Select(r => (r.Name, r.Outcome, r.Detail))
            .Should().Equal(ours.Select(r => (r.Name, r.Outcome, r.Detail)));
    }

    [Fact]
    public async Task The_sign_in_log_has_the_same_client_addresses_and_sources()
    {
        var (ours, marten) = await SignInLogsAsync();
        ours.Should().Contain(r => r.ClientAddress == "2001:db8::7" && r.Source == "ui");
        marten.Select(r => (r.ClientAddress, r.Source)).Should().Equal(ours.Select(r => (r.ClientAddress, r.Source)));
    }

    // Ids and times cannot be compared across the stores: an id is the event's global position in its own store
    // (equal only while both histories are identical from the first event and neither has burnt a sequence value
    // in a rolled-back save), and a time is the clock of the store's own save. So each store is held to the rule.

    [Fact]
    public async Task A_sign_in_line_on_Marten_is_keyed_by_its_event_s_sequence_number_in_19_digits()
    {
        var (_, marten) = await SignInLogsAsync();
        var events = await SignInEventsAsync();
        marten.Select(r => r.Id).Should().Equal(events.Select(e => e.Sequence.ToString("D19")));
    }

    [Fact]
    public async Task A_sign_in_line_on_Marten_is_timed_by_its_event_s_timestamp()
    {
        var (_, marten) = await SignInLogsAsync();
        var events = await SignInEventsAsync();
        // PostgreSQL keeps microseconds; the projection saw the time the event was given, to the tick.
        marten.Select(r => Micros(r.At)).Should().Equal(events.Select(e => Micros(e.Timestamp)));
    }

    private static long Micros(DateTimeOffset t) => t.UtcTicks / 10;

    private async Task<(IReadOnlyList<SignInRecord> Ours, IReadOnlyList<SignInRecord> Marten)> SignInLogsAsync()
    {
        await using var q = both.Ours.QuerySession();
        var ours = await q.Query<SignInRecord>().OrderBy("id").ToListAsync();
        await using var s = both.Marten.QuerySession();
        var marten = await s.Query<SignInRecord>().OrderBy(r => r.Id).ToListAsync();
        return (ours, marten);
    }

    private async Task<IReadOnlyList<JasperFx.Events.IEvent>> SignInEventsAsync()
    {
        await using var s = both.Marten.QuerySession();
        var all = await s.Events.QueryAllRawEvents().OrderBy(e => e.Sequence).ToListAsync();
        return [.. all.Where(e => e.Data is LoginSucceeded or LoginFailed or LoggedOut)];
    }

    private async Task<Dictionary<string, JsonNode>> OurJsonAsync<T>() where T : class
    {
        await using var q = both.Ours.QuerySession();
        var (items, _) = await q.Query<T>().Take(1000).ToJsonPageAsync();
        return ById(items);
    }

    private async Task<Dictionary<string, JsonNode>> MartenJsonAsync<T>() where T : notnull
    {
        // The documents as stored (Marten passes the jsonb text through): what SQL over the table reads.
        await using var s = both.Marten.QuerySession();
        var array = JsonNode.Parse(await s.Query<T>().ToJsonArray())!.AsArray();
        return ById(array.Select(n => n!.ToJsonString()));
    }

    // Parsed with default options: property names compare case-sensitively, whatever the serializer allows.
    private static Dictionary<string, JsonNode> ById(IEnumerable<string> json) =>
        json.Select(j => JsonNode.Parse(j)!).ToDictionary(n => (string)n["id"]!);

    private static void ShouldBeTheSame(Dictionary<string, JsonNode> ours, Dictionary<string, JsonNode> marten)
    {
        marten.Keys.Should().BeEquivalentTo(ours.Keys);
        foreach (var (id, doc) in ours)
            JsonNode.DeepEquals(marten[id], doc).Should()
                .BeTrue($"{id} is {doc.ToJsonString()} in our store and {marten[id].ToJsonString()} on Marten");
    }

    // Loaded, then serialized as our store writes: what the web code gets, whichever store it reads.
    private async Task ShouldLoadTheSameAsync<T>(string id) where T : class
    {
        await using var q = both.Ours.QuerySession();
        await using var s = both.Marten.QuerySession();
        var ours = await q.LoadAsync<T>(id);
        var marten = await s.LoadAsync<T>(id);
        ours.Should().NotBeNull();
        JsonSerializer.Serialize(marten, Json).Should().Be(JsonSerializer.Serialize(ours, Json));
    }

    private static readonly JsonSerializerOptions Json = EventStoreOptions.DefaultJson();
}
