using DcAssets.Assets;
using DcAssets.Testing;

namespace DcAssets.Tests.Store;

/// <summary>
/// What our own store guaranteed at append, held on Marten: a save is all or nothing, a change made meanwhile is
/// refused rather than overwritten, and history stays verifiable through both.
/// </summary>
public sealed class AppendGuaranteeTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private Marten.DocumentStore _store = null!;
    private static readonly Actor Engineer = new("u-1", "engineer1", "engineer", EventSources.Api);

    public async Task InitializeAsync() => _store = await ProductStore.OpenAsync(db.ConnectionString);

    public Task DisposeAsync()
    {
        _store.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_save_that_fails_part_way_appends_none_of_its_events_and_changes_no_read_model()
    {
        await AssetStream.RegisterAsync(_store, Engineer, new AssetInput { Tag = "OLD-1", Category = "server" }, default);
        var before = await db.ScalarAsync<long>("select count(*) from dcassets.mt_events");

        await using var s = _store.OpenSession(Engineer);
        var registered = RegisterAsset.Decide(null, new AssetInput { Tag = "NEW-1", Category = "server" },
            new Whereabouts(null, null, []));
        s.Events.StartStream(AssetVocabulary.StreamId("NEW-1"), registered);
        // The second stream's expected version is stale: the whole save must fail, the first stream with it.
        s.Events.Append(AssetVocabulary.StreamId("OLD-1"), 5,
            new AssetRetired("OLD-1", "a decision made on an old version"));
        var save = () => s.SaveChangesAsync();

        await save.Should().ThrowAsync<Exception>();
        (await db.ScalarAsync<long>("select count(*) from dcassets.mt_events")).Should().Be(before);
        await using var q = _store.QuerySession();
        (await q.LoadAsync<Asset>(AssetVocabulary.StreamId("NEW-1"))).Should().BeNull();
        (await q.LoadAsync<Asset>(AssetVocabulary.StreamId("OLD-1")))!.Status.Should().NotBe(AssetStatus.Retired);
    }

    [Fact]
    public async Task Of_two_changes_decided_on_the_same_version_the_second_is_refused_as_changed_meanwhile()
    {
        await AssetStream.RegisterAsync(_store, Engineer, new AssetInput { Tag = "RACE-1", Category = "server" },
            default);
        await using var first = _store.OpenSession(Engineer);
        await using var second = _store.OpenSession(Engineer);
        var one = await first.Events.FetchForWriting<Asset>(AssetVocabulary.StreamId("RACE-1"));
        var two = await second.Events.FetchForWriting<Asset>(AssetVocabulary.StreamId("RACE-1"));
        one.AppendOne(ChangeAssetStatus.Decide(one.Aggregate!, new ChangeAssetStatusCommand("faulty", null))!);
        two.AppendOne(RetireAsset.Decide(two.Aggregate!, new RetireAssetCommand("replaced")));

        await AssetStream.SaveAsync(first, "RACE-1", default);
        var late = () => AssetStream.SaveAsync(second, "RACE-1", default);

        (await late.Should().ThrowAsync<CommandRejected>()).Which.Kind.Should().Be(RejectionKind.Conflict);
        await using var q = _store.QuerySession();
        (await q.LoadAsync<Asset>(AssetVocabulary.StreamId("RACE-1")))!.Status.Should().Be(AssetStatus.Faulty);
    }

    [Fact]
    public async Task A_failed_save_leaves_the_history_verifiable()
    {
        await AssetStream.RegisterAsync(_store, Engineer, new AssetInput { Tag = "VER-1", Category = "server" },
            default);
        await using (var s = _store.OpenSession(Engineer))
        {
            s.Events.Append(AssetVocabulary.StreamId("VER-1"), 9, new AssetRetired("VER-1", "stale"));
            var save = () => s.SaveChangesAsync();
            await save.Should().ThrowAsync<Exception>();
        }
        await AssetStream.ChangeAsync(_store, Engineer, "VER-1", null, null,
            (a, _) => RetireAsset.Decide(a, new RetireAssetCommand("replaced")), default);

        var report = await new DcAssets.Integrity.HistoryVerifier(_store, null).VerifyAsync();
        report.Intact.Should().BeTrue(string.Join("; ", report.Problems.Select(p => p.Reason)));
    }
}
