using DcAssets.Assets;
using DcAssets.Assets.Places;
using DcAssets.Assets.Racks;
using DcAssets.EventStore;
using DcAssets.EventStore.Tests.Infrastructure;

namespace DcAssets.Tests.Assets;

/// <summary>The rack lock on the real database when its connection drops or two holders want the same racks.</summary>
public sealed class RackLockTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private EventStore.EventStore _store = null!;
    private static readonly Actor Engineer = new("u-1", "engineer1", "engineer", EventSources.Api);

    public async Task InitializeAsync()
    {
        _store = await DcAssetsStore.OpenAsync(db.ConnectionString);
        await PlaceImport.RunAsync(_store, Engineer, new StringReader("""
            kind,code,name,parent,height_u
            site,HQ,Headquarters,,
            room,R1,Room 1,HQ,
            rack,K1,Rack K1,R1,42
            """), default);
    }

    public async Task DisposeAsync() => await _store.DisposeAsync();

    [Fact]
    public async Task A_lock_connection_dropped_after_the_save_does_not_turn_the_saved_move_into_an_error()
    {
        await AssetStream.RegisterAsync(_store, Engineer, new AssetInput { Tag = "DROP-1", Category = "server", Room = "R1", HeightU = 1 }, default);

        var moved = await AssetStream.ChangeAsync(_store, Engineer, "DROP-1", "R1", "K1", (a, w) =>
        {
            // The decision runs under the lock: its connection is cut here (a failover, a killed idle session).
            db.ScalarAsync<bool>($"""
                select bool_and(pg_terminate_backend(pid, 10000)) from pg_locks
                where locktype = 'advisory' and granted and database = (select oid from pg_database where datname = '{db.Name}')
                """).GetAwaiter().GetResult().Should().BeTrue();
            return [MoveAsset.Decide(a, new MoveAssetCommand("R1", "K1", 7), w)];
        }, default);

        moved.Location!.Position.Should().Be(7);
        await using var q = _store.QuerySession();
        (await AssetStream.LoadAsync(q, "DROP-1")).Asset!.Location!.Rack.Should().Be("K1");
    }
}
