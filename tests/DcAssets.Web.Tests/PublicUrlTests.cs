using DcAssets.Web.Tests.Infrastructure;

namespace DcAssets.Web.Tests;

/// <summary>A host that knows the address people reach it by.</summary>
public sealed class PublicHost : IAsyncLifetime
{
    public DcAssetsApp App { get; } = new() { Settings = { ["Web:PublicUrl"] = "https://dcassets.example.org/room7" } };
    public Task InitializeAsync() => App.InitializeAsync();
    public Task DisposeAsync() => App.DisposeAsync();
}

/// <summary>QR labels carry the configured public address, not the host name the printing request used.</summary>
public sealed class PublicUrlTests(PublicHost host) : IClassFixture<PublicHost>
{
    [Fact]
    public async Task A_label_encodes_the_public_url_of_the_asset_page()
    {
        var app = host.App;
        await MachineRoom.BuildAsync(app);
        await app.Scenario(x => { x.Post.Json(new { tag = "QR-P1", category = "switch", room = "R101" }).ToUrl("/api/v1/assets"); x.StatusCodeShouldBe(201); });
        var svg = await app.Scenario(x => { x.Get.Url("/api/v1/assets/QR-P1/label.svg"); x.StatusCodeShouldBe(200); });
        using var generator = new QRCoder.QRCodeGenerator();
        svg.Body.Should().Be(new QRCoder.SvgQRCode(generator.CreateQrCode("https://dcassets.example.org/room7/assets/QR-P1", QRCoder.QRCodeGenerator.ECCLevel.M)).GetGraphic(4));
        var sheet = await app.Scenario(x => { x.Get.Url("/api/v1/labels/sheet?tags=QR-P1"); x.StatusCodeShouldBe(200); });
        sheet.Body.Should().Contain(svg.Body);
        sheet.Body.Should().NotContain("class=\"warn\"", "phones can open a public address");
    }

    [Theory]
    [InlineData("dcassets.example.org")]
    [InlineData("ftp://dcassets.example.org/")]
    [InlineData("https://dcassets.example.org/?room=7")]
    public async Task A_public_url_that_is_not_an_absolute_http_address_stops_the_host_naming_the_setting(string value)
    {
        var app = new DcAssetsApp { Settings = { ["Web:PublicUrl"] = value } };
        try
        {
            var start = () => app.InitializeAsync();
            await start.Should().ThrowAsync<Exception>().Where(e =>
                (e.InnerException ?? e).Message.Contains("DCASSETS_PUBLIC_URL") && (e.InnerException ?? e).Message.Contains(value));
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
