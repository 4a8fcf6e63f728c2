using System.Text.Json;
using System.Text.Json.Nodes;
using DcAssets.Testing;
using Marten;
using Npgsql;

namespace DcAssets.Tests.Store;

/// <summary>
/// The re-platform's first guarantee: every event the product stores today goes into Marten under the same
/// stable name and comes out the same, and Marten keeps the JSON in the shape our SQL over events reads.
/// </summary>
public sealed class EventsOnMartenTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private DocumentStore _marten = null!;
    private static readonly JsonSerializerOptions Ours = DcAssetsStore.Json();

    public static TheoryData<string> EventNames()
    {
        var data = new TheoryData<string>();
        foreach (var (_, name) in DcAssetsStore.EventNames) data.Add(name);
        return data;
    }

    private static Type TypeOf(string name) => DcAssetsStore.EventNames.Single(e => e.Name == name).Type;

    public async Task InitializeAsync()
    {
        _marten = await ProductStore.OpenAsync(db.ConnectionString);
    }

    public Task DisposeAsync()
    {
        _marten.Dispose();
        return Task.CompletedTask;
    }

    private async Task<string> AppendAsync(object sample)
    {
        var stream = "sample-" + Guid.NewGuid().ToString("N");
        // A poll's sample is the same poll every time: the poll slot guard would refuse its second append.
        await db.ExecAsync("delete from dcassets.mt_doc_telemetry_poll_slots");
        await using var session = _marten.LightweightSession();
        session.Events.StartStream(stream, sample);
        await session.SaveChangesAsync();
        return stream;
    }

    [Theory]
    [MemberData(nameof(EventNames))]
    public async Task An_event_is_stored_under_its_stable_name(string name)
    {
        var stream = await AppendAsync(EventSamples.Of(TypeOf(name)));
        (await ScalarAsync($"select type from dcassets.mt_events where stream_id = '{stream}'")).Should().Be(name);
    }

    [Theory]
    [MemberData(nameof(EventNames))]
    public async Task An_event_reads_back_with_every_field_as_it_was_written(string name)
    {
        var sample = EventSamples.Of(TypeOf(name));
        var stream = await AppendAsync(sample);
        await using var session = _marten.QuerySession();
        var read = (await session.Events.FetchStreamAsync(stream)).Single().Data;
        read.GetType().Should().Be(sample.GetType());
        JsonSerializer.Serialize(read, read.GetType(), Ours)
            .Should().Be(JsonSerializer.Serialize(sample, sample.GetType(), Ours));
    }

    [Theory]
    [MemberData(nameof(EventNames))]
    public async Task An_event_is_stored_as_the_json_our_store_writes(string name)
    {
        var sample = EventSamples.Of(TypeOf(name));
        var stream = await AppendAsync(sample);
        var stored = JsonNode.Parse(
            await ScalarAsync($"select data::text from dcassets.mt_events where stream_id = '{stream}'"));
        // Parsed with default options: property names compare case-sensitively, whatever the serializer allows.
        var ours = JsonNode.Parse(JsonSerializer.Serialize(sample, sample.GetType(), Ours));
        JsonNode.DeepEquals(stored, ours).Should()
            .BeTrue($"Marten stored {stored?.ToJsonString()}");
    }

    private async Task<string> ScalarAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }
}
