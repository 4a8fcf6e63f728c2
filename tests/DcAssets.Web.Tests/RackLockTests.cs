using DcAssets.Assets.Racks;
using DcAssets.Web.Tests.Infrastructure;

namespace DcAssets.Web.Tests;

/// <summary>Changes that take U positions wait for their rack's lock: what the API answers when the wait goes wrong.</summary>
public sealed class RackLockTests(DcAssetsApp app) : IClassFixture<DcAssetsApp>, IAsyncLifetime
{
    public Task InitializeAsync() => app.OnceAsync("machine room", () => MachineRoom.BuildAsync(app));

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_correction_whose_asset_moved_while_it_waited_for_the_rack_is_refused_as_changed_meanwhile()
    {
        await app.Scenario(x => { x.Post.Json(MachineRoom.Server("SRV-L1", rack: "A01", position: 30, height: 2)).ToUrl("/api/v1/assets"); x.StatusCodeShouldBe(201); });
        await app.Scenario(x => { x.Post.Json(MachineRoom.Server("SRV-L2", rack: "A02", position: 32, height: 1)).ToUrl("/api/v1/assets"); x.StatusCodeShouldBe(201); });

        // The correction reads that SRV-L1 stands in A01, then waits for A01's lock (held here) ...
        var held = app.Marten.LightweightSession();
        await RackLock.TakeAsync(held, ["A01"], default);
        var taller = MachineRoom.Server("SRV-L1", rack: "A01", position: 30, height: 4);
        var correction = app.Scenario(x => { x.Put.Json(taller).ToUrl("/api/v1/assets/SRV-L1/details"); x.StatusCodeShouldBe(409); });
        await WaitersAsync(1);
        // ... while a move to A02 U30-U31 commits: 4 U there would reach SRV-L2 at U32.
        await app.Scenario(x => { x.Post.Json(new { room = "R101", rack = "A02", position = 30 }).ToUrl("/api/v1/assets/SRV-L1/move"); x.StatusCodeShouldBe(200); });
        await held.DisposeAsync();

        var answer = await correction;
        answer.Status.Should().Be(409, answer.Body);
        answer.Json["errors"]!["tag"]![0]!.GetValue<string>().Should().Contain("changed by someone else meanwhile");
        var asset = await app.Scenario(x => { x.Get.Url("/api/v1/assets/SRV-L1"); x.StatusCodeShouldBe(200); });
        asset.Json["details"]!["heightU"]!.GetValue<int>().Should().Be(2);
        asset.Json["location"]!["rack"]!.GetValue<string>().Should().Be("A02");
    }

    [Fact]
    public async Task A_rack_held_longer_than_the_lock_wait_is_a_conflict_naming_the_rack()
    {
        await app.Scenario(x => { x.Post.Json(MachineRoom.Server("SRV-L3", rack: "B01", position: 5, height: 1, room: "R102")).ToUrl("/api/v1/assets"); x.StatusCodeShouldBe(201); });
        var before = await app.EventCountAsync();

        // Held here past the 30 s a change waits for its rack.
        await using (var held = app.Marten.LightweightSession())
        {
            await RackLock.TakeAsync(held, ["b01"], default);
            await app.Scenario(x =>
            {
                x.Post.Json(new { room = "R102", rack = "B01", position = 20 }).ToUrl("/api/v1/assets/SRV-L3/move");
                x.StatusCodeShouldBe(409);
                x.ProblemShouldName("rack");
                x.ContentShouldContain("rack B01 is held by another change");
            });
        }

        (await app.EventCountAsync()).Should().Be(before);
    }

    /// <summary>Waits until <paramref name="count"/> sessions of this database wait for an advisory lock.</summary>
    private async Task WaitersAsync(int count)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (await app.ScalarAsync<long>("""
            select count(*) from pg_locks where locktype = 'advisory' and not granted
              and database = (select oid from pg_database where datname = current_database())
            """) < count)
        {
            if (sw.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException($"{count} waiting for a rack lock expected");
            await Task.Delay(20);
        }
    }
}
