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

/// <summary>The people who may sign in, and the form that adds one (the same decision as POST /api/v1/users).</summary>
[Authorize(Policy = Policies.ManagePeople)]
public sealed class UsersModel(IQuerySession q, IMessageBus bus, IStringLocalizer<Text> T) : PageModel
{
    public IReadOnlyList<User> People { get; private set; } = [];
    [BindProperty] public CreateUserCommand Input { get; set; } = new(null, Roles.Engineer, null);
    public FormErrors Errors { get; private set; } = FormErrors.None;

    public async Task OnGetAsync(CancellationToken ct) =>
        People = await q.Query<User>().OrderBy(u => u.Name).ToListAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        try
        {
            var u = await bus.InvokeAsync<User>(HttpContext, Input, ct);
            TempData["Saved"] = T["Users.Created", u.Name].Value;
            return Redirect($"/admin/users/{Uri.EscapeDataString(u.Name)}");
        }
        catch (CommandRejected r)
        {
            Errors = FormErrors.From(r);
            Response.StatusCode = r.Kind == RejectionKind.Conflict ? 409 : 400;
            await OnGetAsync(ct);
            return Page();
        }
    }
}
