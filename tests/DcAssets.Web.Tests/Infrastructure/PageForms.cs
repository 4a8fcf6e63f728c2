using System.Net;
using System.Text.RegularExpressions;

namespace DcAssets.Web.Tests.Infrastructure;

/// <summary>Driving the server-rendered pages as a browser does: forms with their antiforgery token, a cookie session, a language.</summary>
public static class PageForms
{
    public static FormUrlEncodedContent Form(params (string, string)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2)));

    /// <summary>The antiforgery token a page's form carries.</summary>
    public static string Token(string html) =>
        Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;

    /// <summary>A cookie session of <paramref name="name"/>, signed in through the login form, reading pages in <paramref name="culture"/>.</summary>
    public static async Task<HttpClient> SignInAsync(this DcAssetsApp app, string name, string culture = "en", string password = DcAssetsApp.Password)
    {
        var browser = app.Client(cookies: true);
        await browser.GetAsync($"/culture/{culture}?returnUrl=/login");
        var form = await browser.GetStringAsync("/login");
        var signedIn = await browser.PostAsync("/login", Form(("Name", name), ("Password", password), ("__RequestVerificationToken", Token(form))));
        if (signedIn.StatusCode != HttpStatusCode.Redirect) throw new Xunit.Sdk.XunitException($"{name} could not sign in: {(int)signedIn.StatusCode}");
        return browser;
    }
}
