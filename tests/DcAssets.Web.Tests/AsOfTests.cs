using DcAssets.Web.Tests.Infrastructure;

namespace DcAssets.Web.Tests;

/// <summary>The register as it was: folded from the events up to a moment, for an asset, a rack and the inventory.</summary>
public sealed class AsOfTests(DcAssetsApp app) : IClassFixture<DcAssetsApp>
{
    [Fact]
    public async Task An_asset_moved_twice_has_three_answers_at_three_instants()
    {
        await app.OnceAsync("machine room", () => MachineRoom.BuildAsync(app));
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
    public async Task A_rack_as_of_a_moment_holds_exactly_what_stood_in_it_then()
    {
        await app.OnceAsync("machine room", () => MachineRoom.BuildAsync(app));
        await app.Scenario(x => { x.Post.Json(new { code = "R109", name = "Room 109", site = "HQ" }).ToUrl("/api/v1/rooms"); x.StatusCodeShouldBe(201); });
        await app.Scenario(x => { x.Post.Json(new { code = "C09", room = "R109", heightU = 42 }).ToUrl("/api/v1/racks"); x.StatusCodeShouldBe(201); });
        // LEFT-1 stood in C09 and left before t; STAYED-1 came before t; CAME-1 comes after t; ELSE-1 never was in C09.
        await app.Scenario(x => { x.Post.Json(MachineRoom.Server("LEFT-1", rack: "C09", position: 1, height: 1, room: "R109")).ToUrl("/api/v1/assets"); x.StatusCodeShouldBe(201); });
        await app.Scenario(x => { x.Post.Json(MachineRoom.Server("STAYED-1", rack: "C09", position: 3, height: 1, room: "R109")).ToUrl("/api/v1/assets"); x.StatusCodeShouldBe(201); });
        await app.Scenario(x => { x.Post.Json(new { tag = "ELSE-1", category = "pc", room = "R102" }).ToUrl("/api/v1/assets"); x.StatusCodeShouldBe(201); });
        await app.Scenario(x => { x.Post.Json(new { room = "R102" }).ToUrl("/api/v1/assets/LEFT-1/move"); x.StatusCodeShouldBe(200); });
        await app.Scenario(x => { x.Post.Json(new { status = "faulty" }).ToUrl("/api/v1/assets/STAYED-1/status"); x.StatusCodeShouldBe(200); });
        var t = await LastEventTime();
        await app.Scenario(x => { x.Post.Json(MachineRoom.Server("CAME-1", rack: "C09", position: 5, height: 1, room: "R109")).ToUrl("/api/v1/assets"); x.StatusCodeShouldBe(201); });
        await app.Scenario(x => { x.Post.Json(new { status = "in_service" }).ToUrl("/api/v1/assets/STAYED-1/status"); x.StatusCodeShouldBe(200); });

        var at = Uri.EscapeDataString(t.ToString("O"));
        var rack = await app.Scenario(x => { x.Get.Url($"/api/v1/racks/C09/elevation?asOf={at}"); x.StatusCodeShouldBe(200); });
        rack.Json["occupants"]!.AsArray().Select(o => o!["tag"]!.GetValue<string>()).Should().Equal("STAYED-1");
        rack.Json["occupants"]![0]!["status"]!.GetValue<string>().Should().Be("faulty", "folded up to t, not beyond");
        var room = await app.Scenario(x => x.Get.Url($"/api/v1/inventory?room=R109&asOf={at}"));
        room.Json["items"]!.AsArray().Select(o => o!["tag"]!.GetValue<string>()).Should().Equal("STAYED-1");
        var all = await app.Scenario(x => x.Get.Url($"/api/v1/inventory?q=-1&asOf={at}&pageSize=1000"));
        all.Json["items"]!.AsArray().Select(o => o!["tag"]!.GetValue<string>()).Should().Contain(["ELSE-1", "LEFT-1", "STAYED-1"]).And.NotContain("CAME-1");
    }

    [Fact]
    public async Task A_malformed_as_of_is_a_problem_naming_it()
    {
        await app.Scenario(x => { x.Get.Url("/api/v1/inventory?asOf=yesterday-ish"); x.StatusCodeShouldBe(400); x.ProblemShouldName("asOf"); });
    }

    private async Task<DateTimeOffset> LastEventTime() =>
        new(DateTime.SpecifyKind(await app.ScalarAsync<DateTime>("select max(timestamp) from dcassets.mt_events"), DateTimeKind.Utc));
}
