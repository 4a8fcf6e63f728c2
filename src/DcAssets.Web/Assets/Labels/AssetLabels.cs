using System.Net;
using System.Text;
using DcAssets.Assets;
using DcAssets.Web.Identity;
using DcAssets.Web.Ui;
using Microsoft.Extensions.Localization;
using QRCoder;
using Marten;

namespace DcAssets.Web.Assets.Labels;

/// <summary>
/// QR labels: the code carries the asset page's URL, so a phone scan in the machine room opens it.
/// PNG and SVG per asset, and an A4 sheet (3 × 8 labels) for a selection, printed from the browser.
/// </summary>
public static class AssetLabels
{
    public static IEndpointRouteBuilder MapAssetLabels(this IEndpointRouteBuilder api)
    {
        api.MapGet("/assets/{tag}/label.png",
            async (string tag, HttpContext http, IDocumentStore store, CancellationToken ct) =>
            await Known(store, tag, ct) is { } a
                ? Results.File(new PngByteQRCode(Code(http, a.Tag)).GetGraphic(8), "image/png")
                : Identity.IdentityEndpoints.NotFound("asset", tag))
            .WithTags("Labels").RequireAuthorization(Policies.Read);
        api.MapGet("/assets/{tag}/label.svg",
            async (string tag, HttpContext http, IDocumentStore store, CancellationToken ct) =>
            await Known(store, tag, ct) is { } a
                ? Results.Text(Svg(http, a.Tag), "image/svg+xml")
                : Identity.IdentityEndpoints.NotFound("asset", tag))
            .WithTags("Labels").RequireAuthorization(Policies.Read);
        // ?tags=A,B or ?tags=A&tags=B (the inventory page's checkboxes send the second form).
        api.MapGet("/labels/sheet",
            async (string[]? tags, HttpContext http, IDocumentStore store, IStringLocalizer<Text> t,
            CancellationToken ct) =>
        {
            var wanted = (tags ?? [])
                .SelectMany(x => x.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            if (wanted.Count is 0 or > 240)
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["tags"] = ["give 1-240 " +
                    "comma-separated tags"] });
            var assets = new List<Asset>();
            foreach (var tag in wanted)
                assets.Add(await Known(store, tag, ct)
                    ?? throw CommandRejected.Field("tags", AssetRefusals.NoAsset(tag), RejectionKind.NotFound));
            return Results.Content(Sheet(http, t, assets), "text/html; charset=utf-8");
        }).WithTags("Labels").RequireAuthorization(Policies.Read);
        return api;
    }

    public static string PageUrl(HttpContext http, string tag) =>
        http.RequestServices.GetRequiredService<PublicUrl>().Of(http, $"assets/{Uri.EscapeDataString(tag)}");

    public static string Svg(HttpContext http, string tag) => new SvgQRCode(Code(http, tag)).GetGraphic(4);

    private static QRCodeData Code(HttpContext http, string tag)
    {
        using var generator = new QRCodeGenerator();
        return generator.CreateQrCode(PageUrl(http, tag), QRCodeGenerator.ECCLevel.M);
    }

    private static async Task<Asset?> Known(IDocumentStore store, string tag, CancellationToken ct) =>
        (await AssetStream.LoadAsync(store.QuerySession(), tag, ct: ct)).Asset;

    private static string Sheet(HttpContext http, IStringLocalizer t, IEnumerable<Asset> assets)
    {
        var sb = new StringBuilder($$"""
            <!doctype html><html lang="{{System.Globalization.CultureInfo.CurrentUICulture.Name}}"><head>
            <meta charset="utf-8"><title>{{WebUtility.HtmlEncode(t["Labels.Title"])}}</title><style>
            @page { size: A4; margin: 10mm 7mm; }
            body { margin: 0; font-family: sans-serif; }
            .sheet { display: grid; grid-template-columns: repeat(3, 64mm); grid-auto-rows: 34mm; gap: 0 2mm; }
            .label { display: flex; align-items: center; gap: 2mm; padding: 2mm; box-sizing: border-box;
              overflow: hidden; break-inside: avoid; }
            .label svg { width: 28mm; height: 28mm; flex: none; }
            .tag { font-weight: bold; font-size: 12pt; } .what { font-size: 8pt; }
            .warn { border: 2px solid #b3261e; padding: 3mm; margin-bottom: 3mm; font-size: 11pt; }
            @media print { .warn { display: none; } }
            </style></head><body>
            """);
        // A label that points to this machine's loopback address opens on no phone: say so before it is printed.
        var target = new Uri(PageUrl(http, "x"));
        if (target.IsLoopback)
            sb.Append("<p class=\"warn\" role=\"alert\">" + WebUtility.HtmlEncode(t["Labels.Loopback",
                target.GetLeftPart(UriPartial.Authority), PublicUrl.Variable]) + "</p>");
        sb.Append("<div class=\"sheet\">");
        foreach (var a in assets)
            sb.Append($"""<div class="label">{Svg(http, a.Tag)}<div>""" +
                $"""<div class="tag">{WebUtility.HtmlEncode(a.Tag)}</div>""" +
                $"""<div class="what">{WebUtility.HtmlEncode($"{a.Details.Make} {a.Details.Model}".Trim())}</div>""" +
                $"""<div class="what">{WebUtility.HtmlEncode(a.Location?.Room)} """ +
                $"""{WebUtility.HtmlEncode(a.Location?.Rack)}""" +
                $"""{(a.Location?.Position is { } p ? " " + WebUtility.HtmlEncode(t.Unit(p)) : "")}""" +
                $"""</div></div></div>""");
        sb.Append("</div></body></html>");
        return sb.ToString();
    }
}
