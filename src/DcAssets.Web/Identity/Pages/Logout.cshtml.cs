using DcAssets.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DcAssets.Web.Identity.Pages;

/// <summary>Signing out is a POST (with the antiforgery token) and an event.</summary>
[Authorize(Policy = Policies.Read)]
public sealed class LogoutModel(Marten.IDocumentStore store) : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await UserStream.SignOutAsync(store, HttpContext.Actor(), ct);
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Redirect("/login");
    }
}
