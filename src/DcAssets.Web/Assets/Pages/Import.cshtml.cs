using System.Text;
using DcAssets.Assets.Csv;
using DcAssets.Web.Api;
using DcAssets.Web.Identity;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace DcAssets.Web.Assets.Pages;

/// <summary>
/// CSV import in the page: the file is first checked (the dry run of POST /api/v1/inventory/import) and every
/// problem listed by row and column before anything is written; a clean file is then imported as checked.
/// </summary>
[Authorize(Policy = Policies.EditAssets)]
public sealed class ImportModel(IDocumentStore store, IStringLocalizer<DcAssets.Web.Ui.Text> T) : PageModel
{
    /// <summary>The most a page upload takes; larger registers go through the API or the command line.</summary>
    public const int MaxBytes = 5 * 1024 * 1024;

    public ImportReport? Report { get; private set; }
    /// <summary>The checked file, carried to the import step so exactly what was checked is imported.</summary>
    public string? Checked { get; private set; }
    public string? Error { get; private set; }

    public void OnGet() { }

    public async Task<IActionResult> OnPostCheckAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0) Error = T["Import.NoFile"];
        else if (file.Length > MaxBytes) Error = T["Import.TooLarge", MaxBytes / 1024 / 1024];
        else
        {
            using var reader = new StreamReader(file.OpenReadStream(), Encoding.UTF8);
            Checked = await reader.ReadToEndAsync(ct);
            Report = await AssetImport.RunAsync(store, HttpContext.Actor(), new StringReader(Checked), true, null, ct);
        }
        if (Error is not null || Report is { Ok: false }) Response.StatusCode = 400;
        return Page();
    }

    public async Task<IActionResult> OnPostImportAsync(string? csv, CancellationToken ct)
    {
        Report = await AssetImport.RunAsync(store, HttpContext.Actor(), new StringReader(csv ?? ""), false, null, ct);
        if (!Report.Ok)
        {
            // Changed since it was checked (someone else imported or moved an asset): the new problems are shown.
            Checked = csv;
            Response.StatusCode = 400;
            return Page();
        }
        TempData["Saved"] = T["Import.Done", Report.Registered, Report.Changed, Report.Unchanged].Value;
        return Redirect("/inventory");
    }
}
