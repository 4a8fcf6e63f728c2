using DcAssets.Identity;
using DcAssets.Web.Identity;
using DcAssets.Web.Ui;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using DcAssets.Web.Api;
using Wolverine;

namespace DcAssets.Web.Identity.Pages;

/// <summary>
/// One person: roles granted and revoked, a password set, the account disabled, API tokens issued (the token shown
/// once, on the page that issued it) and revoked. Each form runs the same use case as the API.
/// </summary>
[Authorize(Policy = Policies.ManagePeople)]
public sealed class UserPageModel(IQuerySession q, IMessageBus bus, IStringLocalizer<Text> T) : PageModel
{
    [BindProperty(SupportsGet = true)] public string Name { get; set; } = "";
    public User? Person { get; private set; }
    public IssuedToken? Issued { get; private set; }
    public RefusedForm Refused { get; private set; } = RefusedForm.None;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Person = await UserStream.LoadAsync(q, Name, ct);
        return Person is null ? NotFound() : Page();
    }

    public Task<IActionResult> OnPostGrantAsync(string? role, CancellationToken ct) =>
        Run("grant", new GrantRole(Name, role), "Users.Granted", ct);

    public Task<IActionResult> OnPostRevokeAsync(string? role, CancellationToken ct) =>
        Run("revoke", new RevokeRole(Name, role), "Users.Revoked", ct);

    public Task<IActionResult> OnPostPasswordAsync(string? password, CancellationToken ct) =>
        Run("password", new SetPassword(Name, password), "Users.PasswordSet", ct);

    public Task<IActionResult> OnPostDisableAsync(string? reason, CancellationToken ct) =>
        Run("disable", new DisableUser(Name, reason), "Users.DisabledNow", ct);

    public Task<IActionResult> OnPostRevokeTokenAsync(string tokenId, CancellationToken ct) =>
        Run("token", new RevokeToken(Name, tokenId), "Users.TokenRevoked", ct);

    public async Task<IActionResult> OnPostIssueTokenAsync(string? label, CancellationToken ct)
    {
        try { Issued = await bus.InvokeAsync<IssuedToken>(HttpContext, new IssueToken(Name, label), ct); }
        catch (CommandRejected r) { Refuse("issue", r); }
        // Shown on this answer only: the token is stored hashed and cannot be shown again.
        return await OnGetAsync(ct);
    }

    private async Task<IActionResult> Run(string form, object command, string saved, CancellationToken ct)
    {
        try
        {
            await bus.InvokeAsync<User>(HttpContext, command, ct);
            TempData["Saved"] = T[saved, Name].Value;
            return Redirect($"/admin/users/{Uri.EscapeDataString(Name)}");
        }
        catch (CommandRejected r)
        {
            Refuse(form, r);
            return await OnGetAsync(ct);
        }
    }

    private void Refuse(string form, CommandRejected r)
    {
        Refused = new(form, FormErrors.From(r));
        Response.StatusCode = r.Kind switch { RejectionKind.NotFound => 404, RejectionKind.Conflict => 409, _ => 400 };
    }

    public FormErrors ErrorsOf(string form) => Refused.Of(form);
}
