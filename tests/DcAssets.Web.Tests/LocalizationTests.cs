using System.Net;
using DcAssets.Web.Tests.Infrastructure;
using static DcAssets.Web.Tests.Infrastructure.PageForms;

namespace DcAssets.Web.Tests;

/// <summary>Refusals, history, units and labels are said in the reader's language, not in the register's stored words.</summary>
public sealed class LocalizationTests(DcAssetsApp app) : IClassFixture<DcAssetsApp>, IAsyncLifetime
{
    public Task InitializeAsync() => app.OnceAsync("machine room", async () =>
    {
        await MachineRoom.BuildAsync(app);
        await app.Scenario(x => { x.Post.Json(MachineRoom.Server("L10N-1", "A01", 10, 2)).ToUrl("/api/v1/assets"); x.StatusCodeShouldBe(201); });
        await app.Scenario(x => { x.Post.Json(MachineRoom.Server("L10N-2", "A01", 20, 1)).ToUrl("/api/v1/assets"); x.StatusCodeShouldBe(201); });
        await app.Scenario(x => { x.As("engineer").Post.Json(new { room = "R101", rack = "A02", position = 7 }).ToUrl("/api/v1/assets/L10N-2/move"); x.StatusCodeShouldBe(200); });
        await app.Scenario(x => { x.As("engineer").Post.Json(new { status = "maintenance" }).ToUrl("/api/v1/assets/L10N-2/status"); x.StatusCodeShouldBe(200); });
    });

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Register_refusals_are_said_in_chinese_field_by_field()
    {
        var browser = await app.SignInAsync("engineer1", "zh-CN");
        var form = await browser.GetStringAsync("/assets/register");
        var refused = await browser.PostAsync("/assets/register", Form(("Input.Tag", "bad tag"), ("Input.Category", "toaster"), ("Input.Room", "R101"),
            ("Input.Rack", "A01"), ("Input.Position", "11"), ("Input.HeightU", "1"), ("Input.PurchaseDate", "2020-13-01"), ("__RequestVerificationToken", Token(form))));
        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        var html = await refused.Content.ReadAsStringAsync();
        html.Should().Contain("资产编号: 资产编号为 1-40").And.Contain("类别: “toaster”不是有效类别")
            .And.Contain("采购日期: “2020-13-01”不是日期").And.Contain("U 位: 机柜“A01”的 U11 已被 L10N-1 占用");
        html.Should().NotContain("is not a category").And.NotContain("is occupied by");
    }

    [Fact]
    public async Task A_refused_move_names_the_occupant_in_chinese_and_in_english()
    {
        foreach (var (culture, expected) in new[] { ("zh-CN", "U 位: 机柜“A01”的 U10 已被 L10N-1 占用"), ("en", "U position: U10 of rack &#x27;A01&#x27; is occupied by L10N-1") })
        {
            var browser = await app.SignInAsync("engineer1", culture);
            var page = await browser.GetStringAsync("/assets/L10N-2");
            var clash = await browser.PostAsync("/assets/L10N-2?handler=Move", Form(("Move.Room", "R101"), ("Move.Rack", "A01"), ("Move.Position", "10"), ("__RequestVerificationToken", Token(page))));
            clash.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            (await clash.Content.ReadAsStringAsync()).Should().Contain(expected);
        }
    }

    [Fact]
    public async Task History_shows_event_names_fields_and_values_in_the_readers_language()
    {
        var zh = await (await app.SignInAsync("manager1", "zh-CN")).GetStringAsync("/assets/L10N-2");
        zh.Should().Contain(">登记</td>").And.Contain(">迁移</td>").And.Contain(">状态变更</td>")
            .And.Contain("机柜: A01 → A02").And.Contain("U 位: 20 → 7").And.Contain("状态: 在用 → 维护中")
            .And.Contain("运维工程师").And.Contain("第 7 U").And.Contain("alt=\"L10N-2 页面的二维码\"");
        zh.Should().NotContain("asset_moved").And.NotContain("location.rack").And.NotContain("in_service →");

        var en = await (await app.SignInAsync("manager1")).GetStringAsync("/assets/L10N-2");
        en.Should().Contain(">Moved</td>").And.Contain("Rack: A01 → A02").And.Contain("Status: In service → Maintenance").And.Contain("U7");
    }

    [Fact]
    public async Task Inventory_filter_problems_units_and_the_label_sheet_are_localized()
    {
        var browser = await app.SignInAsync("manager1", "zh-CN");
        var bad = await browser.GetAsync("/inventory?status=broken");
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await bad.Content.ReadAsStringAsync()).Should().Contain("状态: “broken”不是有效状态");
        (await (await browser.GetAsync("/inventory?asOf=soon")).Content.ReadAsStringAsync()).Should().Contain("截至时间: 无法识别“soon”");
        (await browser.GetStringAsync("/inventory?rack=A01")).Should().Contain("第 10 U");
        (await browser.GetStringAsync("/racks")).Should().Contain("42U");
        (await browser.GetStringAsync("/racks/A01")).Should().Contain("空闲 40/42 U");

        var sheet = await browser.GetStringAsync("/api/v1/labels/sheet?tags=L10N-1");
        sheet.Should().Contain("<title>二维码标签</title>").And.Contain("第 10 U");
    }

    [Fact]
    public async Task An_export_for_people_has_chinese_headers_and_labels_and_the_plain_one_keeps_the_codes()
    {
        await app.Scenario(x => { x.Post.Json(new { tag = "XLS-1", category = "server", room = "R101",
            status = "in_service" }).ToUrl("/api/v1/assets"); x.StatusCodeShouldBe(201); });

        var labelled = await app.Scenario(x =>
        {
            x.WithRequestHeader("Accept-Language", "zh-CN");
            x.Get.Url("/api/v1/inventory/export.csv?q=XLS-1&labels=true");
            x.StatusCodeShouldBe(200);
        });
        var plain = await app.Scenario(x =>
        {
            x.WithRequestHeader("Accept-Language", "zh-CN");
            x.Get.Url("/api/v1/inventory/export.csv?q=XLS-1");
            x.StatusCodeShouldBe(200);
        });

        labelled.Body.TrimStart('\uFEFF').Should().StartWith("资产编号,类别").And.Contain("XLS-1,服务器").And.Contain("在用");
        plain.Body.TrimStart('\uFEFF').Should().StartWith("tag,category").And.Contain("XLS-1,server");
    }
}
