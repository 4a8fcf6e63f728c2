namespace DcAssets.Web.Tests.Infrastructure;

/// <summary>A small machine room through the API: site HQ, rooms R101 and R102, racks A01 (42 U) and A02 (42 U) in R101, B01 in R102.</summary>
public static class MachineRoom
{
    public static async Task BuildAsync(DcAssetsApp app)
    {
        await app.Scenario(x => { x.Post.Json(new { code = "HQ", name = "Headquarters" }).ToUrl("/api/v1/sites"); x.StatusCodeShouldBe(201); });
        foreach (var room in new[] { "R101", "R102" })
            await app.Scenario(x => { x.Post.Json(new { code = room, name = "Room " + room, site = "HQ" }).ToUrl("/api/v1/rooms"); x.StatusCodeShouldBe(201); });
        foreach (var (rack, room) in new[] { ("A01", "R101"), ("A02", "R101"), ("B01", "R102") })
            await app.Scenario(x =>
            {
                x.Post.Json(new { code = rack, room, heightU = 42, row = rack[..1], positionInRow = 1, powerBudgetW = 6000 }).ToUrl("/api/v1/racks");
                x.StatusCodeShouldBe(201);
            });
    }

    public static object Server(string tag, string rack = "A01", int position = 10, int height = 2, string room = "R101") => new
    {
        tag, category = "server", make = "IBM", model = "X3650", serial = "SN-" + tag, room, rack, position, heightU = height,
        status = "in_service", warrantyEnd = "2027-06-30", owner = "城管委信息中心",
    };
}
