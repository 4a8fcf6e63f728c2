using DcAssets.Assets;
using DcAssets.Assets.Places;
using DcAssets.Assets.Racks;
using DcAssets.Testing;
using Npgsql;

namespace DcAssets.Tests.Assets;

/// <summary>The rack lock on the real database when its connection drops or two holders want the same racks.</summary>
public sealed class RackLockTests(TestDatabase db) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private Marten.DocumentStore _store = null!;
    private static readonly Actor Engineer = new("u-1", "engineer1", "engineer", EventSources.Api);

    public async Task InitializeAsync()
    {
        _store = await ProductStore.OpenAsync(db.ConnectionString);
        await PlaceImport.RunAsync(_store, Engineer, new StringReader("""
            kind,code,name,parent,height_u
            site,HQ,Headquarters,,
            room,R1,Room 1,HQ,
            rack,K1,Rack K1,R1,42
            """), default);
    }

    public Task DisposeAsync()
    {
        _store.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_connection_dropped_while_a_move_is_decided_under_the_lock_saves_nothing_and_says_so()
    {
        await AssetStream.RegisterAsync(_store, Engineer,
            new AssetInput { Tag = "DROP-1", Category = "server", Room = "R1", HeightU = 1 }, default);

        var move = () => AssetStream.ChangeAsync(_store, Engineer, "DROP-1", "R1", "K1", (a, w) =>
        {
            // The decision runs under the lock: its connection is cut here (a failover, a killed idle session).
            db.ScalarAsync<bool>($"""
                select bool_and(pg_terminate_backend(pid, 10000)) from pg_locks
                where locktype = 'advisory' and granted
                  and database = (select oid from pg_database where datname = '{db.Name}')
                """).GetAwaiter().GetResult().Should().BeTrue();
            return MoveAsset.Decide(a, new MoveAssetCommand("R1", "K1", 7), w);
        }, default);

        await move.Should().ThrowAsync<Exception>();
        await using var q = _store.QuerySession();
        (await AssetStream.LoadAsync(q, "DROP-1")).Asset!.Location!.Rack.Should().BeNull();
    }

    [Fact]
    public async Task Two_holders_of_racks_whose_keys_collide_lock_in_key_order_and_do_not_deadlock()
    {
        // Racks are locked by hashtext(code): P and Q share a key h, C (between them by code) has another, hc.
        // Locked by code, {P, C} takes h then hc while {C, Q} takes hc then h.
        var (p, q) = await CollisionAsync();
        var c = await BetweenAsync(p, q);
        var (h, hc) = (await KeyAsync(p), await KeyAsync(c));

        await using var holdsH = await HoldAsync(p);
        await using var holdsHc = await HoldAsync(c);
        var first = HoldAndReleaseAsync(p, c);
        await WaitersAsync(1);
        var second = HoldAndReleaseAsync(c, q);
        await WaitersAsync(2);
        await holdsH.CommitAsync();
        // Whoever waited for h has it now (or nobody waits for it).
        await UntilAsync($"""
            select exists (select from pg_locks where locktype = 'advisory' and objid::text = '{h}' and granted and {ThisDatabase})
                or not exists (select from pg_locks where locktype = 'advisory' and objid::text = '{h}' and not granted and {ThisDatabase})
            """);
        await holdsHc.CommitAsync();

        var both = Task.WhenAll(first, second);
        (await Task.WhenAny(both, Task.Delay(TimeSpan.FromSeconds(30)))).Should().Be(both, "both holders get their racks");
        await both; // a deadlock would surface here as 40P01
        hc.Should().NotBe(h);
    }

    private string ThisDatabase => $"database = (select oid from pg_database where datname = '{db.Name}')";

    private async Task HoldAndReleaseAsync(params string[] racks)
    {
        await Task.Yield();
        await using var session = _store.LightweightSession();
        await RackLock.TakeAsync(session, racks, default); // disposing the session ends its transaction and the lock
    }

    /// <summary>Another session holding the rack's key, as a change in flight would, until committed.</summary>
    private async Task<Holder> HoldAsync(string rack)
    {
        var conn = new NpgsqlConnection(db.ConnectionString);
        await conn.OpenAsync();
        var tx = await conn.BeginTransactionAsync();
        await using var cmd = new NpgsqlCommand("select pg_advisory_xact_lock(hashtext(@space), hashtext(@rack))", conn, tx);
        cmd.Parameters.AddWithValue("space", "dcassets-rack:" + _store.Options.DatabaseSchemaName);
        cmd.Parameters.AddWithValue("rack", rack);
        await cmd.ExecuteNonQueryAsync();
        return new Holder(conn, tx);
    }

    private sealed class Holder(NpgsqlConnection conn, NpgsqlTransaction tx) : IAsyncDisposable
    {
        public Task CommitAsync() => tx.CommitAsync();

        public async ValueTask DisposeAsync()
        {
            await tx.DisposeAsync();
            await conn.DisposeAsync();
        }
    }

    private async Task<(string, string)> CollisionAsync()
    {
        var pair = await db.ScalarAsync<string[]>("""
            select array_agg(c) from (select 'C' || g as c from generate_series(1, 300000) g) s
            group by hashtext(c) having count(*) > 1 limit 1
            """);
        var sorted = pair.Order(StringComparer.Ordinal).ToArray();
        return (sorted[0], sorted[1]);
    }

    private async Task<string> BetweenAsync(string p, string q)
    {
        var h = await KeyAsync(p);
        foreach (var c in Enumerable.Range(0, 100).Select(i => p + i))
            if (string.CompareOrdinal(p, c) < 0 && string.CompareOrdinal(c, q) < 0 && await KeyAsync(c) != h) return c;
        throw new InvalidOperationException($"no code between {p} and {q}");
    }

    /// <summary>The rack's key as pg_locks shows it (objid, an unsigned 32-bit number).</summary>
    private async Task<uint> KeyAsync(string rack) => unchecked((uint)await db.ScalarAsync<int>($"select hashtext('{rack}')"));

    private Task WaitersAsync(int count) => UntilAsync($"select count(*) >= {count} from pg_locks where locktype = 'advisory' and not granted and {ThisDatabase}");

    private async Task UntilAsync(string sql)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (!await db.ScalarAsync<bool>(sql))
        {
            if (sw.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException($"still not so: {sql}");
            await Task.Delay(20);
        }
    }
}
