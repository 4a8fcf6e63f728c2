using DcAssets.Web.Identity;
using DcAssets.Web.Tests.Infrastructure;
using DcAssets.Web.Ui;
using Microsoft.Playwright;

namespace DcAssets.Web.Tests;

/// <summary>The host on Kestrel with the demo's rooms and racks, for the shell's browser tests.</summary>
public sealed class ShellHost : IAsyncLifetime
{
    public DcAssetsApp App { get; } = new(kestrel: true);

    public async Task InitializeAsync()
    {
        await App.InitializeAsync();
        await MachineRoom.BuildAsync(App);
    }

    public Task DisposeAsync() => App.DisposeAsync();
}

/// <summary>
/// The shell every page wears, in a real browser: each role's menu and pages in Chinese and English, on a tablet
/// and a phone, checked with axe-core; and the one form component saying every error beside its field.
/// </summary>
[Collection(nameof(TelemetryBrowserCollection))]
public sealed class ShellBrowserTests(ShellHost host) : IClassFixture<ShellHost>
{
    private static IReadOnlyList<Menu.Entry> PagesOf(string role) =>
        Menu.Entries.Where(e => Policies.AllowedRoles[e.Policy].Contains(role)).ToList();

    public static TheoryData<string, string, string> RolesLanguagesAndScreens()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var role in DcAssets.Identity.Roles.All)
        foreach (var (locale, screen) in new[] { ("zh-CN", "tablet"), ("en-US", "phone"), ("zh-CN", "phone"),
                     ("en-US", "tablet") })
            data.Add(role, locale, screen);
        return data;
    }

    [Theory]
    [MemberData(nameof(RolesLanguagesAndScreens))]
    public async Task Every_page_of_a_role_is_in_its_menu_fits_the_screen_and_has_no_serious_accessibility_problem(
        string role, string locale, string screen)
    {
        await using var browser = await TestBrowser.LaunchAsync();
        var page = await browser.PageAsync(host.App, locale,
            screen == "phone" ? TestBrowser.Phone : TestBrowser.Tablet);
        await TestBrowser.SignInAsync(page, role + "1");

        var menu = await page.Locator("details.menu nav a").EvaluateAllAsync<string[]>(
            "links => links.map(a => a.getAttribute('href'))");
        menu.Should().BeEquivalentTo(PagesOf(role).Select(e => e.Href), "the menu shows what the role may use");

        var problems = new List<string>();
        // Pages reached from others rather than from the menu: one person's page, for the admin.
        var reached = role == DcAssets.Identity.Roles.Admin ? ["/admin/users/engineer1"] : Array.Empty<string>();
        foreach (var href in PagesOf(role).Select(e => e.Href).Concat(reached))
        {
            var response = await page.GotoAsync(href);
            if (response!.Status != 200) problems.Add($"{href}: HTTP {response.Status}");
            if (await page.Locator("h1").CountAsync() != 1) problems.Add($"{href}: no single heading");
            if (await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > innerWidth + 1"))
                problems.Add($"{href}: wider than the {screen} screen");
            problems.AddRange((await TestBrowser.AxeViolationsAsync(page)).Select(v => $"{href}: {v}"));
        }
        problems.Should().BeEmpty();
    }

    [Fact]
    public async Task A_form_with_three_errors_shows_each_beside_its_field_and_keeps_what_was_typed()
    {
        await using var browser = await TestBrowser.LaunchAsync();
        var page = await browser.PageAsync(host.App, "zh-CN", TestBrowser.Tablet);
        await TestBrowser.SignInAsync(page, "engineer1");
        await page.GotoAsync("/assets/register");
        await page.FillAsync("#f-tag", "bad tag!");
        await page.FillAsync("#f-managementAddress", "999.1.1.1");
        await page.FillAsync("#f-purchaseDate", "2027-06-01");
        await page.FillAsync("#f-warrantyEnd", "2027-01-31");
        await page.ClickAsync("form.fields button[type=submit]");
        await page.Locator(".form-summary").WaitForAsync();

        (await page.Locator(".field-error").CountAsync()).Should().Be(3);
        foreach (var (field, typed) in new[] { ("tag", "bad tag!"), ("managementAddress", "999.1.1.1"),
                     ("warrantyEnd", "2027-01-31") })
        {
            var input = page.Locator($"#f-{field}");
            (await input.GetAttributeAsync("aria-invalid")).Should().Be("true", $"{field} is marked");
            (await input.InputValueAsync()).Should().Be(typed, $"what was typed in {field} is kept");
            var error = page.Locator($"label[for='f-{field}'] .field-error");
            (await error.CountAsync()).Should().Be(1, $"{field}'s error sits beside it");
        }
        (await page.Locator("label[for='f-managementAddress'] .field-error").InnerTextAsync())
            .Should().Contain("999.1.1.1").And.Contain("不是有效的 IP 地址");
    }
}
