using DcAssets.Assets.Inventory;
using DcAssets.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Marten;

namespace DcAssets.Web.Assets.Pages;

/// <summary>The inventory list with its filters and a date picker for "as of".</summary>
[Authorize(Policy = Policies.Read)]
public sealed class InventoryModel(IDocumentStore store, DcAssets.Web.Ui.SiteClock clock) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Category { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Room { get; set; }
    [BindProperty(SupportsGet = true)] public string? Rack { get; set; }
    [BindProperty(SupportsGet = true)] public int? WarrantyWithinDays { get; set; }
    [BindProperty(SupportsGet = true)] public DateTime? AsOf { get; set; }
    // From the query only: "page" is also the route value naming the Razor page itself.
    [FromQuery(Name = "page")] public int? PageNumber { get; set; }

    public InventoryFilter Filter { get; private set; } = new();
    public InventoryPage Result { get; private set; } = new([], 0, 1, 50, null);
    public IReadOnlyDictionary<string, Refusal[]> Refusals { get; private set; } = new Dictionary<string, Refusal[]>();
    public string? AsOfLocal => AsOf?.ToString("yyyy-MM-ddTHH:mm:ss");
    public string Query => Request.QueryString.Value ?? "";

    /// <summary>
    /// The page's filters for its export links: as-of as the instant the page read (the API reads an offset, not the
    /// site's wall clock), and labels for people to read.
    /// </summary>
    public string ExportQuery
    {
        get
        {
            var kept = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(Query)
                .Where(p => p.Key is not ("asOf" or "page" or "pageNumber"))
                .SelectMany(p => p.Value.Select(v => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(v ?? "")}"))
                .ToList();
            if (Filter.AsOf is { } t) kept.Add("asOf=" + Uri.EscapeDataString(t.ToString("O")));
            kept.Add("labels=true");
            return "?" + string.Join("&", kept);
        }
    }

    public async Task OnGetAsync(CancellationToken ct)
    {
        // The picker sends the site's wall clock without a zone.
        Filter = new InventoryFilter
        {
            Q = Empty(Q), Category = Empty(Category), Status = Empty(Status), Room = Empty(Room), Rack = Empty(Rack),
            WarrantyWithinDays = WarrantyWithinDays, Page = PageNumber, PageSize = 50,
            AsOf = clock.Read(AsOf),
        };
        // A value the form could not even read (asOf=soon, page=x) is said, not silently dropped.
        var unreadable = ModelState.Where(e =>
            e.Value?.ValidationState == Microsoft.AspNetCore.Mvc.ModelBinding.ModelValidationState.Invalid)
            .ToDictionary(e => Camel(e.Key), e =>
                new[] { Refusal.Of("unreadable", "'{0}' could not be read", e.Value!.AttemptedValue) });
        if (unreadable.Count > 0) { Refusals = unreadable; Response.StatusCode = 400; return; }
        try { Result = await InventoryQueries.FindAsync(store.QuerySession(), Filter, ct); }
        catch (CommandRejected r) { Refusals = r.Refusals; Response.StatusCode = 400; }
    }

    public string PageUrl(int page) => QueryHelpers(page);

    private string QueryHelpers(int page)
    {
        var q = Request.Query.Where(kv => kv.Key != "page")
            .SelectMany(kv => kv.Value.Select(v => $"{kv.Key}={Uri.EscapeDataString(v ?? "")}"));
        return "/inventory?" + string.Join("&", q.Append($"page={page}"));
    }

    private static string Camel(string key) => key.Length == 0 ? key : char.ToLowerInvariant(key[0]) + key[1..];

    private static string? Empty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
