using DcAssets.Assets.Inventory;
using DcAssets.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DcAssets.Web.Assets.Pages;

/// <summary>The inventory list with its filters and a date picker for "as of".</summary>
[Authorize(Policy = Policies.Read)]
public sealed class InventoryModel(EventStore.EventStore store) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? Category { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public string? Room { get; set; }
    [BindProperty(SupportsGet = true)] public string? Rack { get; set; }
    [BindProperty(SupportsGet = true)] public int? WarrantyWithinDays { get; set; }
    [BindProperty(SupportsGet = true)] public DateTime? AsOf { get; set; }
    [BindProperty(SupportsGet = true, Name = "page")] public int? PageNumber { get; set; }

    public InventoryFilter Filter { get; private set; } = new();
    public InventoryPage Result { get; private set; } = new([], 0, 1, 50, null);
    public string? Problem { get; private set; }
    public string? AsOfLocal => AsOf?.ToString("yyyy-MM-ddTHH:mm:ss");
    public string Query => Request.QueryString.Value ?? "";

    public async Task OnGetAsync(CancellationToken ct)
    {
        // The picker sends local wall-clock time without a zone; the machine room and the server share one.
        Filter = new InventoryFilter
        {
            Q = Empty(Q), Category = Empty(Category), Status = Empty(Status), Room = Empty(Room), Rack = Empty(Rack),
            WarrantyWithinDays = WarrantyWithinDays, Page = PageNumber, PageSize = 50,
            AsOf = AsOf is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Local)) : null,
        };
        try { Result = await InventoryQueries.FindAsync(store.QuerySession(), Filter, ct); }
        catch (CommandRejected r) { Problem = r.Message; }
    }

    public string PageUrl(int page) => QueryHelpers(page);

    private string QueryHelpers(int page)
    {
        var q = Request.Query.Where(kv => kv.Key != "page").SelectMany(kv => kv.Value.Select(v => $"{kv.Key}={Uri.EscapeDataString(v ?? "")}"));
        return "/inventory?" + string.Join("&", q.Append($"page={page}"));
    }

    private static string? Empty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
