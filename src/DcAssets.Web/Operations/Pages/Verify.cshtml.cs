using DcAssets.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DcAssets.Web.Operations.Pages;

/// <summary>
/// Verification of the whole history from a page: started by a button, running over GET /api/v1/integrity/verify
/// while the page shows it is working and for how long, then a plain verdict naming the first bad position.
/// </summary>
[Authorize(Policy = Policies.Audit)]
public sealed class VerifyModel : PageModel
{
    public void OnGet() { }
}
