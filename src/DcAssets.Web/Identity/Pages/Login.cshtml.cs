using DcAssets.Identity;
using DcAssets.Web.Api;
using Wolverine;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DcAssets.Web.Identity.Pages;

/// <summary>
/// The sign-in form: the same decision and events as POST /api/v1/session, sharing its attempts budget.
/// </summary>
[AllowAnonymous]
public sealed class LoginModel(IMessageBus bus, LoginThrottle throttle) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Password { get; set; }
    public bool Failed { get; private set; }
    public bool TooMany { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!throttle.TryAttempt(HttpContext))
        {
            TooMany = true;
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Page();
        }
        var actor = new Actor(Name ?? "", Name ?? "", null,
            EventSources.Ui) { ClientAddress = HttpContext.Connection.RemoteIpAddress?.ToString() };
        var user = await bus.InvokeAsync<User?>(new SignIn(Name, Password), ActorMessages.For(actor), ct);
        if (user is null)
        {
            Failed = true;
            Response.StatusCode = 401;
            return Page();
        }
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme,
            IdentityAuth.Principal(user, CookieAuthenticationDefaults.AuthenticationScheme, EventSources.Ui));
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/");
    }
}
