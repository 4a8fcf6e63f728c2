using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace DcAssets.Web.Ui;

/// <summary>
/// Server-rendered pages: each slice keeps its pages in its own folder (Assets/Pages, Identity/Pages),
/// texts come from Resources/Ui.Text*.resx, and the language is the browser's unless the switch on
/// every page chose one (kept in a cookie).
/// </summary>
public static class UiModule
{
    public static readonly CultureInfo[] Cultures = [new("en"), new("zh-CN")];

    public static IServiceCollection AddUi(this IServiceCollection services)
    {
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        services.AddSingleton(sp => SiteClock.From(sp.GetRequiredService<IConfiguration>()));
        // Chinese text is written as text, not as numeric character references.
        services.AddWebEncoders(o =>
            o.TextEncoderSettings =
                new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddRazorPages(o => o.RootDirectory = "/").AddViewLocalization();
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture("en");
            o.SupportedCultures = o.SupportedUICultures = Cultures;
            o.RequestCultureProviders = [new CookieRequestCultureProvider(),
                new AcceptLanguageHeaderRequestCultureProvider()];
        });
        return services;
    }

    /// <summary>
    /// The shell's own style and script (wwwroot/ui), open to everyone: the sign-in page wears them too. Runs before
    /// authentication; every other static file sits behind the sign-in.
    /// </summary>
    public static WebApplication UseShellFiles(this WebApplication app)
    {
        // Not there when the host only writes its generated code from another folder.
        if (app.Environment.WebRootPath is not { } root || !Directory.Exists(Path.Combine(root, "ui"))) return app;
        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = "/ui",
            FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(
                Path.Combine(root, "ui")),
        });
        return app;
    }

    public static WebApplication MapUi(this WebApplication app)
    {
        app.MapRazorPages();
        app.MapGet("/culture/{culture}", (string culture, string? returnUrl, HttpContext http) =>
        {
            if (!Cultures.Any(c => c.Name == culture)) return Results.NotFound();
            http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true,
                    SameSite = SameSiteMode.Lax });
            return Results.LocalRedirect(returnUrl is { Length: > 0 } u && u.StartsWith('/') && !u.StartsWith("//")
                ? u : "/");
        }).AllowAnonymous();
        return app;
    }
}
