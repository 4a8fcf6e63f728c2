using DcAssets.Web.Tests.Infrastructure;

namespace DcAssets.Web.Tests;

/// <summary>Registering, changing and reading assets through the API, and refusals that write nothing.</summary>
public sealed class AssetRegisterTests(DcAssetsApp app) : IClassFixture<DcAssetsApp>, IAsyncLifetime
{
    public Task InitializeAsync() => app.OnceAsync("machine room", () => MachineRoom.BuildAsync(app));

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_registered_asset_is_in_the_inventory_the_rack_and_its_history_names_the_actor()
    {
        await app.Scenario(x => { x.As("engineer").Post.Json(MachineRoom.Server("SRV-100", position: 20)).ToUrl("/api/v1/assets"); x.StatusCodeShouldBe(201); });
        var list = await app.Scenario(x => { x.As("manager").Get.Url("/api/v1/inventory?rack=A01&q=srv-100"); x.StatusCodeShouldBe(200); });
        list.Json["total"]!.GetValue<long>().Should().Be(1);
        list.Json["items"]![0]!["details"]!["category"]!.GetValue<string>().Should().Be("server");

        await app.Scenario(x => { x.As("security").Get.Url("/api/v1/racks/A01/elevation.svg"); x.StatusCodeShouldBe(200); x.MediaTypeShouldBe("image/svg+xml"); x.ContentShouldContain("SRV-100"); });
        var elevation = await app.Scenario(x => x.Get.Url("/api/v1/racks/A01/elevation"));
        elevation.Json["units"]!.AsArray().Where(u => u!["tag"]?.GetValue<string>() == "SRV-100").Select(u => u!["u"]!.GetValue<int>())
            .Should().BeEquivalentTo([20, 21]);

        await app.Scenario(x => { x.As("engineer").Post.Json(new { status = "maintenance", note = "fan swap" }).ToUrl("/api/v1/assets/SRV-100/status"); x.StatusCodeShouldBe(200); });
        var history = await app.Scenario(x => { x.As("security").Get.Url("/api/v1/assets/SRV-100/history"); x.StatusCodeShouldBe(200); });
        var entries = history.Json.AsArray();
        entries.Select(e => e!["event"]!.GetValue<string>()).Should().Equal("asset_registered", "asset_status_changed");
        entries[1]!["actorName"]!.GetValue<string>().Should().Be("engineer1");
        entries[1]!["role"]!.GetValue<string>().Should().Be("engineer");
        entries[1]!["source"]!.GetValue<string>().Should().Be("api");
        entries[1]!["changes"]![0]!["field"]!.GetValue<string>().Should().Be("status");
        entries[1]!["changes"]![0]!["to"]!.GetValue<string>().Should().Be("maintenance");
    }

    [Fact]
    public async Task The_asset_collection_url_lists_the_same_page_as_the_inventory()
    {
        await app.Scenario(x => { x.As("engineer").Post.Json(MachineRoom.Server("SRV-101", position: 30)).ToUrl("/api/v1/assets"); x.StatusCodeShouldBe(201); });
        var assets = await app.Scenario(x => { x.As("manager").Get.Url("/api/v1/assets?rack=A01&pageSize=2&page=1"); x.StatusCodeShouldBe(200); });
        var inventory = await app.Scenario(x => { x.As("manager").Get.Url("/api/v1/inventory?rack=A01&pageSize=2&page=1"); x.StatusCodeShouldBe(200); });
        assets.Json["total"]!.GetValue<long>().Should().BeGreaterThan(0);
        assets.Body.Should().Be(inventory.Body);
    }

    [Fact]
    public async Task A_bad_tag_is_refused_naming_the_field_and_nothing_is_appended()
    {
        var before = await app.EventCountAsync();
        await app.Scenario(x =>
        {
            x.Post.Json(new { tag = "bad tag!", category = "server", room = "R101" }).ToUrl("/api/v1/assets");
            x.StatusCodeShouldBe(400);
            x.ProblemShouldName("tag");
        });
        (await app.EventCountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task An_unknown_room_and_an_unknown_category_are_both_named()
    {
        var before = await app.EventCountAsync();
        await app.Scenario(x =>
        {
            x.Post.Json(new { tag = "SRV-404", category = "toaster", room = "NOWHERE" }).ToUrl("/api/v1/assets");
            x.StatusCodeShouldBe(400);
            x.ProblemShouldName("room");
            x.ProblemShouldName("category");
        });
        (await app.EventCountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task A_move_into_occupied_units_is_refused_naming_the_occupant()
    {
        await app.Scenario(x => { x.Post.Json(MachineRoom.Server("SRV-201", rack: "A02", position: 5, height: 2)).ToUrl("/api/v1/assets"); x.StatusCodeShouldBe(201); });
        await app.Scenario(x => { x.Post.Json(MachineRoom.Server("SRV-202", rack: "A02", position: 30, height: 1)).ToUrl("/api/v1/assets"); x.StatusCodeShouldBe(201); });
        var before = await app.EventCountAsync();
        await app.Scenario(x =>
        {
            x.As("engineer").Post.Json(new { room = "R101", rack = "A02", position = 6 }).ToUrl("/api/v1/assets/SRV-202/move");
            x.StatusCodeShouldBe(400);
            x.ProblemShouldName("position");
            x.ContentShouldContain("occupied by SRV-201");
        });
        await app.Scenario(x =>
        {
            x.Post.Json(MachineRoom.Server("SRV-203", rack: "A02", position: 4, height: 2)).ToUrl("/api/v1/assets");
            x.StatusCodeShouldBe(400);
            x.ContentShouldContain("U5 of rack 'A02' is occupied by SRV-201");
        });
        (await app.EventCountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task A_second_asset_with_the_same_tag_in_any_case_is_a_conflict()
    {
        await app.Scenario(x => { x.Post.Json(new { tag = "UPS-1", category = "ups", room = "R102" }).ToUrl("/api/v1/assets"); x.StatusCodeShouldBe(201); });
        var before = await app.EventCountAsync();
        await app.Scenario(x => { x.Post.Json(new { tag = "ups-1", category = "ups", room = "R102" }).ToUrl("/api/v1/assets"); x.StatusCodeShouldBe(409); x.ProblemShouldName("tag"); });
        (await app.EventCountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task Retiring_frees_the_units_and_later_changes_are_refused()
    {
        await app.Scenario(x => { x.Post.Json(MachineRoom.Server("SRV-300", rack: "B01", position: 1, height: 1, room: "R102")).ToUrl("/api/v1/assets"); x.StatusCodeShouldBe(201); });
        await app.Scenario(x => { x.Post.Json(new { reason = "" }).ToUrl("/api/v1/assets/SRV-300/retire"); x.StatusCodeShouldBe(400); x.ProblemShouldName("reason"); });
        await app.Scenario(x => { x.Post.Json(new { reason = "end of life" }).ToUrl("/api/v1/assets/SRV-300/retire"); x.StatusCodeShouldBe(200); });
        await app.Scenario(x => { x.Post.Json(MachineRoom.Server("SRV-301", rack: "B01", position: 1, height: 1, room: "R102")).ToUrl("/api/v1/assets"); x.StatusCodeShouldBe(201); });
        await app.Scenario(x => { x.Post.Json(new { warrantyEnd = "2030-01-01" }).ToUrl("/api/v1/assets/SRV-300/warranty"); x.StatusCodeShouldBe(409); x.ProblemShouldName("status"); });
    }

    [Fact]
    public async Task Corrections_record_only_what_changed_and_an_unchanged_correction_appends_nothing()
    {
        await app.Scenario(x => { x.Post.Json(new { tag = "SW-1", category = "switch", make = "H3C", room = "R101" }).ToUrl("/api/v1/assets"); x.StatusCodeShouldBe(201); });
        await app.Scenario(x => { x.Put.Json(new { category = "switch", make = "H3C", model = "S5130" }).ToUrl("/api/v1/assets/SW-1/details"); x.StatusCodeShouldBe(200); });
        var before = await app.EventCountAsync();
        await app.Scenario(x => { x.Put.Json(new { category = "switch", make = "H3C", model = "S5130" }).ToUrl("/api/v1/assets/SW-1/details"); x.StatusCodeShouldBe(200); });
        (await app.EventCountAsync()).Should().Be(before);
        var history = await app.Scenario(x => x.Get.Url("/api/v1/assets/SW-1/history"));
        history.Json[1]!["changes"]!.AsArray().Select(c => c!["field"]!.GetValue<string>()).Should().Equal("model");
    }

    [Fact]
    public async Task Unknown_assets_and_racks_are_problem_details_404()
    {
        await app.Scenario(x => { x.Get.Url("/api/v1/assets/NOPE-1"); x.StatusCodeShouldBe(404); x.MediaTypeShouldBe("application/problem+json"); });
        await app.Scenario(x => { x.Get.Url("/api/v1/racks/NOPE/elevation"); x.StatusCodeShouldBe(404); x.MediaTypeShouldBe("application/problem+json"); });
        await app.Scenario(x => { x.Post.Json(new { room = "R101" }).ToUrl("/api/v1/assets/NOPE-1/move"); x.StatusCodeShouldBe(404); x.ProblemShouldName("tag"); });
    }

    [Fact]
    public async Task Inventory_filters_are_checked_and_the_dashboard_counts()
    {
        await app.Scenario(x => { x.Get.Url("/api/v1/inventory?status=broken&pageSize=0"); x.StatusCodeShouldBe(400); x.ProblemShouldName("status"); x.ProblemShouldName("pageSize"); });
        await app.Scenario(x => { x.Post.Json(new { tag = "AC-1", category = "precision_ac", room = "R102", warrantyEnd = DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd") }).ToUrl("/api/v1/assets"); x.StatusCodeShouldBe(201); });
        var soon = await app.Scenario(x => x.Get.Url("/api/v1/inventory?warrantyWithinDays=60&category=precision_ac"));
        soon.Json["items"]!.AsArray().Select(i => i!["tag"]!.GetValue<string>()).Should().Equal("AC-1");
        var dashboard = await app.Scenario(x => { x.As("manager").Get.Url("/api/v1/inventory/dashboard"); x.StatusCodeShouldBe(200); });
        dashboard.Json["byCategory"]!["precision_ac"]!.GetValue<long>().Should().Be(1);
    }
}
