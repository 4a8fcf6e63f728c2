using DcAssets.Identity;
using DcAssets.Web.Api;
using Wolverine;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DcAssets.Web.Identity.Pages;

/// <summary>Signing out is a POST (with the antiforgery token) and an event.</summary>
[Authorize(Policy = Policies.Read)]
public sealed class LogoutModel(IMessageBus bus) : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        await bus.InvokeAsync(new SignOut(HttpContext.Actor().Name), ActorMessages.For(HttpContext.Actor()), ct);
        await HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Redirect("/login");
    }
}
