using DcAssets.Assets;
using DcAssets.Web.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DcAssets.Web.Assets.Pages;

/// <summary>One asset, now or as of a moment, with its whole history and its QR label (the page a scan opens).</summary>
[Authorize(Policy = Policies.Read)]
public sealed class AssetPageModel(EventStore.EventStore store) : PageModel
{
    [BindProperty(SupportsGet = true)] public string Tag { get; set; } = "";
    [BindProperty(SupportsGet = true)] public DateTime? AsOf { get; set; }
    public Asset? Asset { get; private set; }
    public IReadOnlyList<HistoryEntry> History { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var s = store.QuerySession();
        DateTimeOffset? asOf = AsOf is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, t.Kind == DateTimeKind.Unspecified ? DateTimeKind.Local : t.Kind)) : null;
        Asset = (await AssetStream.LoadAsync(s, Tag, asOf, ct)).Asset;
        History = (await AssetHistory.ReadAsync(s, Tag, ct) ?? []).Where(h => asOf is null || h.At <= asOf).ToList();
        if (Asset is null) Response.StatusCode = 404;
    }
}
