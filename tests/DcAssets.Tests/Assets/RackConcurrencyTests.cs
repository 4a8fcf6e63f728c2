using DcAssets.Assets;
using DcAssets.Assets.Inventory;
using DcAssets.Assets.Places;
using DcAssets.Testing;

namespace DcAssets.Tests.Assets;

/// <summary>Many people racing for the same U of one rack, on the real database: exactly one of them gets it.</summary>
public sealed class RackConcurrencyTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private Marten.DocumentStore _store = null!;
    private static readonly Actor Engineer = new("u-1", "engineer1", "engineer", EventSources.Api);
    private const int Racers = 12;

    public async Task InitializeAsync()
    {
        _store = await ProductStore.OpenAsync(db.ConnectionString);
        await PlaceImport.RunAsync(_store, Engineer, new StringReader("""
            kind,code,name,parent,height_u
            site,HQ,Headquarters,,
            room,R1,Room 1,HQ,
            rack,K1,Rack K1,R1,42
            rack,K2,Rack K2,R1,42
            """), default);
    }

    public Task DisposeAsync()
    {
        _store.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Of_many_concurrent_registrations_into_one_u_exactly_one_succeeds()
    {
        var outcomes = await RaceAsync(Enumerable.Range(1, Racers).Select(i => (Func<Task>)(() =>
            AssetStream.RegisterAsync(_store, Engineer, new AssetInput { Tag = $"REG-{i}", Category = "server", Room = "R1", Rack = "K1", Position = 10, HeightU = 2 }, default))));

        outcomes.Count(o => o is null).Should().Be(1);
        outcomes.OfType<CommandRejected>().Should().HaveCount(Racers - 1)
            .And.OnlyContain(r => r.Errors.ContainsKey("position") && r.Message.Contains("is occupied by REG-"));
        await using var q = _store.QuerySession();
        (await InventoryQueries.InRackAsync(q, "K1", default)).Should().ContainSingle();
    }

    [Fact]
    public async Task Of_many_concurrent_moves_into_one_u_exactly_one_succeeds_and_overlapping_heights_count()
    {
        for (var i = 1; i <= Racers; i++)
            await AssetStream.RegisterAsync(_store, Engineer, new AssetInput { Tag = $"MOV-{i}", Category = "switch", Room = "R1", HeightU = 1 + i % 3 }, default);

        // Different heights aimed at overlapping units: U20, U19-U20, U18-U20 all clash.
        var outcomes = await RaceAsync(Enumerable.Range(1, Racers).Select(i => (Func<Task>)(() =>
            AssetStream.ChangeAsync(_store, Engineer, $"MOV-{i}", "R1", "K2",
                (a, w) => MoveAsset.Decide(a, new MoveAssetCommand("R1", "K2", 21 - a.Details.HeightU), w), default))));

        outcomes.Count(o => o is null).Should().Be(1);
        outcomes.Where(o => o is not null).Should().AllBeOfType<CommandRejected>();
        await using var q = _store.QuerySession();
        var inRack = await InventoryQueries.InRackAsync(q, "K2", default);
        inRack.Should().ContainSingle();
        inRack[0].Units().Should().Contain(20);
    }

    /// <summary>Starts every action at once and returns each one's exception, or null for the ones that succeeded.</summary>
    private static async Task<List<Exception?>> RaceAsync(IEnumerable<Func<Task>> actions)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var runs = actions.Select(async action =>
        {
            await start.Task;
            try { await action(); return (Exception?)null; }
            catch (Exception e) { return e; }
        }).ToList();
        start.SetResult();
        return [.. await Task.WhenAll(runs)];
    }
}
