using System.Net;
using DcAssets.Web.Identity;
using DcAssets.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DcAssets.Web.Tests;

/// <summary>The server-rendered pages: explicit policies, sign-in with CSRF protection, both languages.</summary>
public sealed class PageTests(DcAssetsApp app) : IClassFixture<DcAssetsApp>, IAsyncLifetime
{
    public Task InitializeAsync() => app.OnceAsync("machine room", () => MachineRoom.BuildAsync(app));
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public void Every_endpoint_and_page_has_an_explicit_policy_or_allows_anonymous_callers()
    {
        var missing = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null
                        && !e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy is not null && Policies.AllowedRoles.ContainsKey(a.Policy)))
            .Select(e => e.RoutePattern.RawText).ToList();
        missing.Should().BeEmpty();
    }

    [Fact]
    public async Task A_person_signs_in_registers_an_asset_sees_it_and_switches_to_chinese()
    {
        var browser = app.Client(cookies: true);
        (await browser.GetAsync("/inventory")).StatusCode.Should().Be(HttpStatusCode.Redirect, "pages send strangers to the sign-in form");

        var form = await browser.GetStringAsync("/login");
        // Without the antiforgery token the form is refused.
        (await browser.PostAsync("/login", Form(("Name", "engineer1"), ("Password", DcAssetsApp.Password)))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var signedIn = await browser.PostAsync("/login", Form(("Name", "engineer1"), ("Password", DcAssetsApp.Password), ("__RequestVerificationToken", Token(form))));
        signedIn.StatusCode.Should().Be(HttpStatusCode.Redirect);

        var register = await browser.GetStringAsync("/assets/register");
        var bad = await browser.PostAsync("/assets/register", Form(("Input.Tag", "bad tag"), ("Input.Category", "server"), ("__RequestVerificationToken", Token(register))));
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await bad.Content.ReadAsStringAsync()).Should().Contain("Tag:");
        var created = await browser.PostAsync("/assets/register", Form(("Input.Tag", "PAGE-1"), ("Input.Category", "firewall"), ("Input.Room", "R101"),
            ("Input.Rack", "A01"), ("Input.Position", "33"), ("Input.HeightU", "1"), ("Input.Status", "in_service"), ("__RequestVerificationToken", Token(register))));
        created.StatusCode.Should().Be(HttpStatusCode.Redirect);
        created.Headers.Location!.ToString().Should().Be("/assets/PAGE-1");

        (await browser.GetStringAsync("/inventory?q=PAGE")).Should().Contain("href=\"/assets/PAGE-1\"").And.Contain("<h1>Inventory");
        (await browser.GetStringAsync("/racks/A01")).Should().Contain("PAGE-1");
        (await browser.GetStringAsync("/assets/PAGE-1")).Should().Contain(">Registered</td>").And.Contain("engineer1").And.NotContain("asset_registered");

        await browser.GetAsync("/culture/zh-CN?returnUrl=/inventory");
        var chinese = await browser.GetStringAsync("/inventory?q=PAGE");
        chinese.Should().Contain("资产清单").And.Contain("防火墙").And.Contain("在用");
        (await browser.GetStringAsync("/")).Should().Contain("按状态");
    }

    private async Task<HttpClient> SignedInAsync(string user)
    {
        var browser = app.Client(cookies: true);
        var login = await browser.GetStringAsync("/login");
        (await browser.PostAsync("/login", Form(("Name", user), ("Password", DcAssetsApp.Password),
            ("__RequestVerificationToken", Token(login))))).StatusCode.Should().Be(HttpStatusCode.Redirect);
        return browser;
    }

    private static MultipartFormDataContent Upload(string csv, string token)
    {
        var form = new MultipartFormDataContent();
        form.Add(new StringContent(token), "__RequestVerificationToken");
        form.Add(new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(csv)), "file", "assets.csv");
        return form;
    }

    private const string CsvHead = "tag,category,make,model,serial,room,rack,position,height_u,status," +
        "management_address,owner,purchase_date,warranty_end,support_contract,attributes\n";

    [Fact]
    public async Task A_csv_with_problems_is_listed_by_row_and_column_in_the_page_and_nothing_is_written()
    {
        var browser = await SignedInAsync("engineer1");
        var page = await browser.GetStringAsync("/assets/import");
        var events = await app.EventCountAsync();

        var checkedFile = await browser.PostAsync("/assets/import?handler=Check", Upload(CsvHead +
            "IMP-1,server,,,,R101,A01,30,1,in_service,999.1.1.1,,,,,\nIMP-2,toaster,,,,R101,,,,,,,,,,\n", Token(page)));

        checkedFile.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var html = await checkedFile.Content.ReadAsStringAsync();
        html.Should().MatchRegex(">2</td>\\s*<td[^>]*>Management address</td>").And.MatchRegex(">3</td>\\s*<td[^>]*>Category</td>");
        (await app.EventCountAsync()).Should().Be(events, "a check writes nothing");
    }

    [Fact]
    public async Task A_clean_csv_is_checked_then_imported_as_checked()
    {
        var browser = await SignedInAsync("engineer1");
        var page = await browser.GetStringAsync("/assets/import");
        var checkedFile = await browser.PostAsync("/assets/import?handler=Check", Upload(CsvHead +
            "IMP-9,server,Inspur,NF5280,,R101,A01,35,1,in_service,10.0.0.9,,,,,\n", Token(page)));
        checkedFile.StatusCode.Should().Be(HttpStatusCode.OK);
        var ready = await checkedFile.Content.ReadAsStringAsync();
        (await app.Scenario(x => { x.Get.Url("/api/v1/assets/IMP-9"); x.StatusCodeShouldBe(404); })).Should().NotBeNull();

        var csv = System.Net.WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(ready,
            "name=\"csv\" value=\"([^\"]*)\"").Groups[1].Value);
        var imported = await browser.PostAsync("/assets/import?handler=Import",
            Form(("csv", csv), ("__RequestVerificationToken", Token(ready))));

        imported.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await app.Scenario(x => { x.Get.Url("/api/v1/assets/IMP-9"); x.StatusCodeShouldBe(200); })).Body
            .Should().Contain("NF5280");
    }

    [Fact]
    public async Task The_sign_in_log_exports_the_failed_attempts_as_csv_in_the_readers_language()
    {
        var stranger = app.Client(cookies: true);
        var login = await stranger.GetStringAsync("/login");
        await stranger.PostAsync("/login", Form(("Name", "engineer1"), ("Password", "not the password, \"quoted\""),
            ("__RequestVerificationToken", Token(login))));
        var security = await SignedInAsync("security1");

        var csv = await security.GetStringAsync("/security/sign-ins?outcome=login_failed&handler=Csv");

        var lines = csv.TrimStart('\uFEFF').Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().StartWith("Time,User name,Outcome");
        lines.Skip(1).Should().NotBeEmpty().And.OnlyContain(l => l.Contains(",Failed,"));
    }

    [Fact]
    public async Task A_status_changes_note_is_shown_in_the_history_newest_first()
    {
        await app.Scenario(x => { x.Post.Json(MachineRoom.Server("NOTE-1", "A01", 40, 1)).ToUrl("/api/v1/assets");
            x.StatusCodeShouldBe(201); });
        var browser = await SignedInAsync("engineer1");
        var page = await browser.GetStringAsync("/assets/NOTE-1");
        (await browser.PostAsync("/assets/NOTE-1?handler=Status", Form(("Status.Status", "maintenance"),
            ("Status.Note", "fan bearing noisy"), ("__RequestVerificationToken", Token(page)))))
            .StatusCode.Should().Be(HttpStatusCode.Redirect);

        var after = await browser.GetStringAsync("/assets/NOTE-1");
        after.Should().Contain("Note: fan bearing noisy");
        after.IndexOf(">Status changed</td>", StringComparison.Ordinal).Should()
            .BeLessThan(after.IndexOf(">Registered</td>", StringComparison.Ordinal), "the newest change comes first");
    }

    [Fact]
    public async Task A_warranty_ending_before_the_purchase_is_refused_beside_its_field_on_the_asset_page()
    {
        await app.Scenario(x => { x.Post.Json(MachineRoom.Server("WARR-1", "A01", 41, 1)).ToUrl("/api/v1/assets");
            x.StatusCodeShouldBe(201); });
        var browser = await SignedInAsync("engineer1");
        var page = await browser.GetStringAsync("/assets/WARR-1");
        (await browser.PostAsync("/assets/WARR-1?handler=Details", Form(("Details.Category", "server"),
            ("Details.HeightU", "1"), ("Details.PurchaseDate", "2026-06-01"),
            ("__RequestVerificationToken", Token(page))))).StatusCode.Should().Be(HttpStatusCode.Redirect);
        page = await browser.GetStringAsync("/assets/WARR-1");

        var refused = await browser.PostAsync("/assets/WARR-1?handler=Warranty", Form(
            ("Warranty.WarrantyEnd", "2026-01-31"), ("__RequestVerificationToken", Token(page))));

        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var html = await refused.Content.ReadAsStringAsync();
        html.Should().MatchRegex("id=\"f-warrantyEnd\"[^>]*value=\"2026-01-31\"[^>]*aria-invalid=\"true\"");
        html.Should().Contain("ends before the purchase date 2026-06-01");
    }

    [Fact]
    public async Task An_engineer_moves_an_asset_on_its_page_and_a_collision_names_the_occupant()
    {
        await app.Scenario(x => { x.Post.Json(MachineRoom.Server("MOVE-1", "A02", 1, 2)).ToUrl("/api/v1/assets"); x.StatusCodeShouldBe(201); });
        await app.Scenario(x => { x.Post.Json(MachineRoom.Server("MOVE-2", "A02", 5, 2)).ToUrl("/api/v1/assets"); x.StatusCodeShouldBe(201); });
        var browser = app.Client(cookies: true);
        var login = await browser.GetStringAsync("/login");
        (await browser.PostAsync("/login", Form(("Name", "engineer1"), ("Password", DcAssetsApp.Password), ("__RequestVerificationToken", Token(login)))))
            .StatusCode.Should().Be(HttpStatusCode.Redirect);

        var page = await browser.GetStringAsync("/assets/MOVE-1");
        page.Should().Contain("name=\"Move.Position\"");
        var clash = await browser.PostAsync("/assets/MOVE-1?handler=Move", Form(("Move.Room", "R101"), ("Move.Rack", "A02"), ("Move.Position", "6"), ("__RequestVerificationToken", Token(page))));
        clash.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await clash.Content.ReadAsStringAsync()).Should().Contain("MOVE-2");

        var moved = await browser.PostAsync("/assets/MOVE-1?handler=Move", Form(("Move.Room", "R101"), ("Move.Rack", "A02"), ("Move.Position", "20"), ("__RequestVerificationToken", Token(page))));
        moved.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var status = await browser.PostAsync("/assets/MOVE-1?handler=Status", Form(("Status.Status", "maintenance"), ("Status.Note", "fan"), ("__RequestVerificationToken", Token(page))));
        status.StatusCode.Should().Be(HttpStatusCode.Redirect);

        var asset = await app.Scenario(x => { x.Get.Url("/api/v1/assets/MOVE-1"); x.StatusCodeShouldBe(200); });
        asset.Body.Should().Contain("\"position\":20").And.Contain("maintenance");
        var history = await app.Scenario(x => { x.Get.Url("/api/v1/assets/MOVE-1/history"); x.StatusCodeShouldBe(200); });
        history.Body.Should().Contain("asset_moved").And.Contain("engineer1");

        // A manager reads the page but gets no change forms, and a forged post changes nothing.
        var manager = app.Client(cookies: true);
        var mlogin = await manager.GetStringAsync("/login");
        await manager.PostAsync("/login", Form(("Name", "manager1"), ("Password", DcAssetsApp.Password), ("__RequestVerificationToken", Token(mlogin))));
        var readOnly = await manager.GetStringAsync("/assets/MOVE-1");
        readOnly.Should().NotContain("Move.Position");
        var forged = await manager.PostAsync("/assets/MOVE-1?handler=Move", Form(("Move.Room", "R101"), ("Move.Rack", "A02"), ("Move.Position", "30"), ("__RequestVerificationToken", Token(readOnly))));
        // Refused the way pages refuse (to the access-denied page), and nothing moved.
        forged.Headers.Location?.ToString().Should().NotBe("/assets/MOVE-1");
        forged.IsSuccessStatusCode.Should().BeFalse();
        (await app.Scenario(x => { x.Get.Url("/api/v1/assets/MOVE-1"); x.StatusCodeShouldBe(200); })).Body.Should().Contain("\"position\":20");

        // Signing out from the form every page carries.
        (await manager.PostAsync("/logout", Form(("__RequestVerificationToken", Token(readOnly))))).Headers.Location!.ToString().Should().Be("/login");
        (await manager.GetAsync("/inventory")).StatusCode.Should().Be(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task A_manager_gets_a_localized_access_denied_page_and_no_register_link()
    {
        var manager = await SignInAsync("manager1");
        (await manager.GetStringAsync("/")).Should().NotContain("href=\"/assets/register\"", "managers may not register assets");
        var refused = await manager.GetAsync("/assets/register");
        refused.StatusCode.Should().Be(HttpStatusCode.Redirect);
        refused.Headers.Location!.ToString().Should().Contain("/access-denied?ReturnUrl=%2Fassets%2Fregister");
        var denied = await manager.GetAsync(refused.Headers.Location);
        denied.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await denied.Content.ReadAsStringAsync()).Should().Contain("<h1>Access denied</h1>").And.Contain("manager1");
        await manager.GetAsync("/culture/zh-CN?returnUrl=/");
        (await (await manager.GetAsync("/access-denied")).Content.ReadAsStringAsync()).Should().Contain("无权访问");

        var engineer = await SignInAsync("engineer1");
        (await engineer.GetStringAsync("/")).Should().Contain("href=\"/assets/register\"");
    }

    [Fact]
    public async Task An_asset_tagged_new_has_its_own_page()
    {
        await app.Scenario(x => { x.Post.Json(new { tag = "new", category = "pc", room = "R102" }).ToUrl("/api/v1/assets"); x.StatusCodeShouldBe(201); });
        var browser = await SignInAsync("manager1");
        var page = await browser.GetAsync("/assets/new");
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        (await page.Content.ReadAsStringAsync()).Should().Contain("<h1>new</h1>").And.NotContain("name=\"Input.Tag\"");
    }

    [Fact]
    public async Task The_inventory_page_pages_through_the_register()
    {
        var csv = "tag,category,room\n" + string.Concat(Enumerable.Range(1, 55).Select(i => $"PG-{i:D2},pc,R102\n"));
        await app.Scenario(x => { x.Post.Text(csv, "text/csv").ToUrl("/api/v1/inventory/import"); x.StatusCodeShouldBe(200); });
        var browser = await SignInAsync("manager1");
        var first = await browser.GetStringAsync("/inventory?q=PG-");
        first.Should().Contain("href=\"/assets/PG-50\"").And.NotContain("href=\"/assets/PG-51\"").And.Contain("page=2");
        var second = await browser.GetStringAsync("/inventory?q=PG-&page=2");
        second.Should().Contain("href=\"/assets/PG-55\"").And.NotContain("href=\"/assets/PG-01\"");

        // Exports in both formats with the same filter, and a label sheet for the rows chosen with the checkboxes.
        first.Should().Contain("href=\"/api/v1/inventory/export.csv?q=PG-&amp;labels=true\"").And.Contain("href=\"/api/v1/inventory/export.xlsx?q=PG-&amp;labels=true\"")
            .And.Contain("<form id=\"labels\" method=\"get\" action=\"/api/v1/labels/sheet\"")
            .And.Contain("<input type=\"checkbox\" name=\"tags\" value=\"PG-07\" form=\"labels\"");
        var chosen = await browser.GetStringAsync("/api/v1/labels/sheet?tags=PG-07&tags=PG-09");
        chosen.Should().Contain(">PG-07<").And.Contain(">PG-09<").And.NotContain(">PG-08<");
        (await browser.GetAsync("/api/v1/inventory/export.xlsx?q=PG-")).Content.Headers.ContentType!.MediaType.Should().Be("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    }

    private Task<HttpClient> SignInAsync(string name) => app.SignInAsync(name);

    private static FormUrlEncodedContent Form(params (string, string)[] fields) => PageForms.Form(fields);
    private static string Token(string html) => PageForms.Token(html);
}
