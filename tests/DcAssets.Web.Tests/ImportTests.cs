using DcAssets.Web.Tests.Infrastructure;

namespace DcAssets.Web.Tests;

/// <summary>CSV import: a dry run lists every problem and writes nothing; a real run is idempotent by tag; export uses the same columns.</summary>
public sealed class ImportTests(DcAssetsApp app) : IClassFixture<DcAssetsApp>, IAsyncLifetime
{
    private const string Header = "tag,category,make,model,serial,room,rack,position,height_u,status,management_address,owner,purchase_date,warranty_end,support_contract,attributes";

    public Task InitializeAsync() => app.OnceAsync("machine room", () => MachineRoom.BuildAsync(app));
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_malformed_file_is_refused_with_every_problem_named_and_nothing_appended()
    {
        var before = await app.EventCountAsync();
        await Import("tag,kategory\nX,server\n", dryRun: false, 400, "row 1.kategory");
        var csv = $"""
            {Header}
            FW-1,firewall,天元龙马,TYLM-FW-8000,,R101,A01,40,1,in_service,,,2019-13-01,,,
            FW-2,firewall,天元龙马,TYLM-FW-8000,,R101,A01,41,1,in_service,,,,,,
            FW-2,firewall,天元龙马,TYLM-FW-8000,,R101,A01,42,1,in_service,,,,,,
            IDS-1,ids_ips,天元龙马,TYLM-IDS-1000,,R101,A01,41,1,in_service,,,,,,
            """;
        var problems = await Import(csv, dryRun: true, 400, "row 2.purchase_date");
        problems.Should().Contain("row 4.tag").And.Contain("row 5.position").And.Contain("occupied by FW-2");
        await Import(csv, dryRun: false, 400, "row 2.purchase_date");
        (await app.EventCountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task A_row_with_unreadable_numbers_or_the_wrong_field_count_still_has_its_other_problems_reported()
    {
        var before = await app.EventCountAsync();
        var csv = $"""
            {Header}
            BAD-1,toaster,,,,NOWHERE,,x,2.5,in_service,,,2020-13-01,,,
            SHORT-1,toaster,IBM
            GOOD-1,server,IBM,,,R101,A01,30,1,in_service,,,,,,
            """;
        var r = await app.Scenario(x => { x.Post.Text(csv, "text/csv").ToUrlWithQuery("/api/v1/inventory/import?dryRun=true"); x.StatusCodeShouldBe(400); });
        var problems = r.Json["problems"]!.AsArray().Select(p => $"{p!["row"]}.{p["column"]}").ToList();
        problems.Should().BeEquivalentTo("2.position", "2.height_u", "2.category", "2.room", "2.purchase_date", "3.row", "3.category");
        r.Body.Should().Contain("'x' is not a whole number").And.Contain("'2.5' is not a whole number").And.Contain("3 fields where the header has 16");
        (await app.EventCountAsync()).Should().Be(before);
    }

    [Fact]
    public async Task A_real_run_registers_then_a_rerun_appends_nothing_and_a_changed_field_becomes_a_correction()
    {
        var csv = $"""
            {Header}
            DB-1,server,IBM,X3250M3,KD12345,R102,B01,10,1,in_service,10.0.0.5,信息中心,2012-05-01,2015-05-01,,os=AIX;role=database
            KVM-1,kvm,,8-port KVM,,R102,B01,20,1,in_service,,,,,,
            """;
        var dry = await app.Scenario(x => { x.Post.Text(csv, "text/csv").ToUrlWithQuery("/api/v1/inventory/import?dryRun=true"); x.StatusCodeShouldBe(200); });
        dry.Json["registered"]!.GetValue<int>().Should().Be(2);
        await app.Scenario(x => { x.Get.Url("/api/v1/assets/DB-1"); x.StatusCodeShouldBe(404); });

        await app.Scenario(x => { x.As("engineer").Post.Text(csv, "text/csv").ToUrl("/api/v1/inventory/import"); x.StatusCodeShouldBe(200); x.ContentShouldContain("\"registered\":2"); });
        var before = await app.EventCountAsync();
        await app.Scenario(x => { x.Post.Text(csv, "text/csv").ToUrl("/api/v1/inventory/import"); x.StatusCodeShouldBe(200); x.ContentShouldContain("\"unchanged\":2"); });
        (await app.EventCountAsync()).Should().Be(before);

        var changed = csv.Replace("KVM-1,kvm,,8-port KVM,,R102,B01,20", "KVM-1,kvm,Raritan,8-port KVM,,R102,B01,21");
        await app.Scenario(x => { x.Post.Text(changed, "text/csv").ToUrl("/api/v1/inventory/import"); x.StatusCodeShouldBe(200); x.ContentShouldContain("\"changed\":1"); });
        var history = await app.Scenario(x => x.Get.Url("/api/v1/assets/KVM-1/history"));
        history.Json.AsArray().Select(e => e!["event"]!.GetValue<string>()).Should().Equal("asset_registered", "asset_details_corrected", "asset_moved");
        history.Json[1]!["source"]!.GetValue<string>().Should().Be("import");

        var export = await app.Scenario(x => { x.Get.Url("/api/v1/inventory/export.csv?room=R102"); x.StatusCodeShouldBe(200); x.MediaTypeShouldBe("text/csv"); });
        export.Body.Should().Contain(Header).And.Contain("DB-1,server,IBM,X3250M3,KD12345,R102,B01,10,1,in_service,10.0.0.5,信息中心,2012-05-01,2015-05-01,,os=AIX;role=database");
        var client = app.Client();
        client.DefaultRequestHeaders.Authorization = new("Bearer", DcAssetsApp.Tokens["manager"]);
        var xlsx = await client.GetByteArrayAsync("/api/v1/inventory/export.xlsx?room=R102");
        using (var book = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(new MemoryStream(xlsx), false))
        {
            var cells = book.WorkbookPart!.WorksheetParts.Single().Worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Cell>().Select(c => c.InnerText).ToList();
            cells.Should().Contain("DB-1").And.Contain("X3250M3").And.Contain("warranty_end");
        }

        // The export imports back as no change at all.
        await app.Scenario(x => { x.Post.Text(export.Body.TrimStart('\uFEFF'), "text/csv").ToUrl("/api/v1/inventory/import"); x.StatusCodeShouldBe(200); x.ContentShouldContain("\"events\":0"); });
    }

    private async Task<string> Import(string csv, bool dryRun, int status, string field)
    {
        var r = await app.Scenario(x =>
        {
            x.Post.Text(csv, "text/csv").ToUrlWithQuery($"/api/v1/inventory/import?dryRun={dryRun.ToString().ToLowerInvariant()}");
            x.StatusCodeShouldBe(status);
            x.ProblemShouldName(field);
        });
        return r.Body;
    }
}
