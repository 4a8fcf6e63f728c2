using DcAssets.Assets.Places;
using DcAssets.Identity;

namespace DcAssets.Web.Tests.Infrastructure;

/// <summary>A small machine room: site HQ, rooms R101 and R102, racks A01 (42 U) and A02 (42 U) in R101, B01 in R102.</summary>
public static class MachineRoom
{
    private const string Places = """
        kind,code,name,parent,height_u,row,position_in_row,power_budget_w
        site,HQ,Headquarters,,,,,
        room,R101,Room R101,HQ,,,,
        room,R102,Room R102,HQ,,,,
        rack,A01,,R101,42,A,1,6000
        rack,A02,,R101,42,A,1,6000
        rack,B01,,R102,42,B,1,6000
        """;

    /// <summary>Loaded as ops/run loads the demo's places (the place API has tests of its own).</summary>
    public static async Task BuildAsync(DcAssetsApp app)
    {
        var admin = new Actor("admin1", "admin1", Roles.Admin, EventSources.Cli);
        await PlaceImport.RunAsync(app.Marten, admin, new StringReader(Places), default);
    }

    public static object Server(string tag, string rack = "A01", int position = 10, int height = 2, string room = "R101") => new
    {
        tag, category = "server", make = "IBM", model = "X3650", serial = "SN-" + tag, room, rack, position, heightU = height,
        status = "in_service", warrantyEnd = "2027-06-30", owner = "城管委信息中心",
    };
}
