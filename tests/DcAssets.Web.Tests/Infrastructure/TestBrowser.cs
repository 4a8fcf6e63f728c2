using System.Text.Json;
using DcAssets.Testing;
using Microsoft.Playwright;

namespace DcAssets.Web.Tests.Infrastructure;

/// <summary>
/// Debian's chromium driven by Playwright (never a downloaded browser; ops/test.d/20-browser installs it), the
/// viewports the product is used on, signing in as a person of a role, and axe-core's accessibility check.
/// </summary>
public sealed class TestBrowser : IAsyncDisposable
{
    public const string Chromium = "/usr/bin/chromium";
    public static readonly ViewportSize Tablet = new() { Width = 1024, Height = 768 };
    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    private readonly IPlaywright _playwright;
    public IBrowser Browser { get; }

    private TestBrowser(IPlaywright playwright, IBrowser browser) => (_playwright, Browser) = (playwright, browser);

    public static async Task<TestBrowser> LaunchAsync()
    {
        File.Exists(Chromium).Should().BeTrue(
            $"{Chromium} is needed: run ops/test.d/20-browser (installs Debian's chromium and fonts-wqy-microhei)");
        var playwright = await Playwright.CreateAsync();
        var args = new List<string> { "--headless", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync" };
        if (Environment.UserName == "root") args.Insert(0, "--no-sandbox");
        var browser = await playwright.Chromium.LaunchAsync(
            new() { ExecutablePath = Chromium, Headless = true, Args = args });
        return new TestBrowser(playwright, browser);
    }

    /// <summary>A page of its own (cookies and all) in a language and viewport, on the host.</summary>
    public Task<IPage> PageAsync(DcAssetsApp app, string locale, ViewportSize viewport) =>
        Browser.NewPageAsync(new() { ViewportSize = viewport, Locale = locale, BaseURL = app.BaseUrl!.ToString() });

    /// <summary>Signs in as <paramref name="user"/> (a role's test person, e.g. "security1") and lands home.</summary>
    public static async Task SignInAsync(IPage page, string user)
    {
        await page.GotoAsync("/login");
        await page.FillAsync("input[name=Name]", user);
        await page.FillAsync("input[name=Password]", DcAssetsApp.Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(u => !u.Contains("/login"));
    }

    private static readonly Lazy<string> AxeScript = new(() =>
        File.ReadAllText(Path.Combine(TestDatabase.RepoRoot(), "tests", "DcAssets.Web.Tests", "node_modules",
            "axe-core", "axe.min.js")));

    /// <summary>axe-core's serious and critical violations on the page as it stands, one line each.</summary>
    public static async Task<IReadOnlyList<string>> AxeViolationsAsync(IPage page)
    {
        await page.AddScriptTagAsync(new() { Content = AxeScript.Value });
        var json = await page.EvaluateAsync<JsonElement>("""
            async () => (await axe.run(document, { resultTypes: ["violations"] })).violations
                .filter(v => v.impact === "serious" || v.impact === "critical")
                .map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", ")}`)
            """);
        return json.EnumerateArray().Select(v => v.GetString()!).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
