using DcAssets.Web.Tests.Infrastructure;

namespace DcAssets.Web.Tests;

/// <summary>The register as it was: folded from the events up to a moment, for an asset, a rack and the inventory.</summary>
public sealed class AsOfTests(DcAssetsApp app) : IClassFixture<DcAssetsApp>
{
    [Fact]
    public async Task An_asset_moved_twice_has_three_answers_at_three_instants()
    {
        await MachineRoom.BuildAsync(app);
        await app.Scenario(x => { x.Post.Json(MachineRoom.Server("MOVER-1", rack: "A01", position: 1, height: 1)).ToUrl("/api/v1/assets"); x.StatusCodeShouldBe(201); });
        var t1 = await LastEventTime();
        await app.Scenario(x => { x.Post.Json(new { room = "R101", rack = "A02", position = 7 }).ToUrl("/api/v1/assets/MOVER-1/move"); x.StatusCodeShouldBe(200); });
        var t2 = await LastEventTime();
        await app.Scenario(x => { x.Post.Json(new { room = "R102", rack = "B01", position = 40 }).ToUrl("/api/v1/assets/MOVER-1/move"); x.StatusCodeShouldBe(200); });
        var t3 = await LastEventTime();

        var answers = new List<string>();
        foreach (var t in new[] { t1, t2, t3 })
        {
            var r = await app.Scenario(x => { x.As("manager").Get.Url($"/api/v1/assets/MOVER-1?asOf={Uri.EscapeDataString(t.ToString("O"))}"); x.StatusCodeShouldBe(200); });
            answers.Add($"{r.Json["location"]!["rack"]}@{r.Json["location"]!["position"]}");
        }
        answers.Should().Equal("A01@1", "A02@7", "B01@40");

        // Before it was registered it did not exist.
        await app.Scenario(x => { x.Get.Url($"/api/v1/assets/MOVER-1?asOf={Uri.EscapeDataString(t1.AddSeconds(-1).ToString("O"))}"); x.StatusCodeShouldBe(404); });

        // The rack and the inventory agree with the asset.
        var rackThen = await app.Scenario(x => x.Get.Url($"/api/v1/racks/A02/elevation?asOf={Uri.EscapeDataString(t2.ToString("O"))}"));
        rackThen.Json["occupants"]!.AsArray().Select(o => o!["tag"]!.GetValue<string>()).Should().Contain("MOVER-1");
        var rackNow = await app.Scenario(x => x.Get.Url("/api/v1/racks/A02/elevation"));
        rackNow.Json["occupants"]!.AsArray().Select(o => o!["tag"]!.GetValue<string>()).Should().NotContain("MOVER-1");
        var inventoryThen = await app.Scenario(x => x.Get.Url($"/api/v1/inventory?room=R101&asOf={Uri.EscapeDataString(t2.ToString("O"))}"));
        inventoryThen.Json["items"]!.AsArray().Select(o => o!["tag"]!.GetValue<string>()).Should().Equal("MOVER-1");
        var inventoryNow = await app.Scenario(x => x.Get.Url("/api/v1/inventory?room=R101"));
        inventoryNow.Json["total"]!.GetValue<long>().Should().Be(0);
    }

    [Fact]
    public async Task A_malformed_as_of_is_a_problem_naming_it()
    {
        await app.Scenario(x => { x.Get.Url("/api/v1/inventory?asOf=yesterday-ish"); x.StatusCodeShouldBe(400); x.ProblemShouldName("asOf"); });
    }

    private async Task<DateTimeOffset> LastEventTime() =>
        new(DateTime.SpecifyKind(await app.ScalarAsync<DateTime>("select max(recorded_at) from dcassets.events"), DateTimeKind.Utc));
}
