using DcAssets.Testing;
using DcAssets.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace DcAssets.Web.Tests;

/// <summary>The host on Kestrel, shared by the browser tests.</summary>
public sealed class BrowserHost : IAsyncLifetime
{
    public DcAssetsApp App { get; } = new(kestrel: true);
    public Task InitializeAsync() => App.InitializeAsync();
    public Task DisposeAsync() => App.DisposeAsync();
}

/// <summary>
/// Debian's chromium driven by Playwright (never a downloaded browser; ops/test.d/20-browser installs it):
/// sign in, register an asset, find it in the list and the rack, switch to Chinese. The screenshot is kept
/// under .data/test-artifacts/.
/// </summary>
public sealed class BrowserTests(BrowserHost host) : IClassFixture<BrowserHost>
{
    [Fact]
    public async Task An_engineer_registers_an_asset_finds_it_in_the_list_and_the_rack_and_reads_it_in_chinese()
    {
        var app = host.App;
        await MachineRoom.BuildAsync(app);
        await using var browser = await TestBrowser.LaunchAsync();
        var page = await browser.PageAsync(app, "en-US", new() { Width = 1024, Height = 1366 });

        await page.GotoAsync("/inventory");
        page.Url.Should().Contain("/login");
        await page.FillAsync("input[name=Name]", "engineer1");
        await page.FillAsync("input[name=Password]", DcAssetsApp.Password);
        await page.ClickAsync("button[type=submit]");
        try { await page.WaitForURLAsync("**/inventory"); }
        catch (TimeoutException)
        {
            // Say where the browser is and what it shows, not only that it never got there.
            throw new TimeoutException($"signed in, the browser is at {page.Url}: {await page.InnerTextAsync("body")}");
        }

        await page.GotoAsync("/assets/register");
        await page.FillAsync("input[name='Input.Tag']", "WEB-SRV-1");
        await page.SelectOptionAsync("select[name='Input.Category']", "server");
        await page.FillAsync("input[name='Input.Make']", "IBM");
        await page.FillAsync("input[name='Input.Model']", "System x3650");
        await page.SelectOptionAsync("select[name='Input.Room']", "R101");
        await page.SelectOptionAsync("select[name='Input.Rack']", "A01");
        await page.FillAsync("input[name='Input.Position']", "12");
        await page.FillAsync("input[name='Input.HeightU']", "2");
        await page.ClickAsync("form.fields button[type=submit]");
        await page.WaitForURLAsync("**/assets/WEB-SRV-1");

        await page.GotoAsync("/inventory?q=WEB-SRV");
        (await page.Locator("a[href='/assets/WEB-SRV-1']").CountAsync()).Should().Be(1);
        await page.GotoAsync("/racks/A01");
        (await page.Locator("svg title", new() { HasTextString = "WEB-SRV-1" }).CountAsync()).Should().Be(1);

        await page.ClickAsync("text=中文");
        await page.WaitForURLAsync("**/racks/A01");
        await page.GotoAsync("/inventory?q=WEB-SRV");
        (await page.InnerTextAsync("h1")).Should().Contain("资产清单");
        (await page.InnerTextAsync("table")).Should().Contain("服务器").And.Contain("在用");

        var artifacts = Path.Combine(TestDatabase.RepoRoot(), ".data", "test-artifacts");
        Directory.CreateDirectory(artifacts);
        var shot = Path.Combine(artifacts, "browser-inventory-zh-CN.png");
        await page.ScreenshotAsync(new() { Path = shot, FullPage = true });
        new FileInfo(shot).Length.Should().BeGreaterThan(10_000);
    }
}
