using System.Text;
using DcAssets.Assets.Csv;
using DcAssets.Assets.Inventory;
using DcAssets.Web.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Marten;

namespace DcAssets.Web.Assets;

/// <summary>
/// /api/v1/inventory: the filtered register (now or as of a moment), CSV export and import, dashboard counts.
/// </summary>
public static class InventoryEndpoints
{
    public static IEndpointRouteBuilder MapInventoryEndpoints(this IEndpointRouteBuilder api)
    {
        var g = api.MapGroup("/inventory").WithTags("Inventory");
        g.MapInventoryPage("/");

        // ?labels=true: headers, categories and statuses in the reader's language (for people; the codes otherwise).
        g.MapGet("/export.csv",
            async ([AsParameters] InventoryFilter f, bool? labels, HttpContext http, IDocumentStore store,
                IStringLocalizer<Ui.Text> t, CancellationToken ct) =>
        {
            f.Check();
            http.Response.ContentType = "text/csv; charset=utf-8";
            http.Response.Headers.ContentDisposition = "attachment; filename=\"inventory.csv\"";
            await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(true));
            await AssetCsv.WriteAsync(InventoryQueries.AllAsync(store.QuerySession(), f, ct), writer, ct,
                labels == true ? ExportLabels.Headers(t) : null,
                labels == true ? a => ExportLabels.Fields(t, a) : null);
        }).RequireAuthorization(Policies.Read);

        g.MapGet("/export.xlsx", async ([AsParameters] InventoryFilter f, bool? labels, IDocumentStore store,
            IStringLocalizer<Ui.Text> t, CancellationToken ct) =>
        {
            f.Check();
            var bytes = await InventoryXlsx.WriteAsync(InventoryQueries.AllAsync(store.QuerySession(), f, ct), ct,
                labels == true ? ExportLabels.Headers(t) : null,
                labels == true ? a => ExportLabels.Fields(t, a) : null);
            return Results.File(bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "inventory.xlsx");
        }).RequireAuthorization(Policies.Read);

        g.MapGet("/dashboard", async (IDocumentStore store, CancellationToken ct) =>
            await InventoryQueries.CountsAsync(store.QuerySession(), ct)).RequireAuthorization(Policies.Read);

        // The body is the CSV file itself; ?dryRun=true checks it and writes nothing.
        g.MapPost("/import",
            async ([FromQuery] bool? dryRun, HttpContext http, IDocumentStore store, CancellationToken ct) =>
        {
            // CsvHelper reads synchronously; Kestrel allows only async body reads, so the file is buffered first.
            using var body = new StreamReader(http.Request.Body, Encoding.UTF8);
            using var reader = new StringReader(await body.ReadToEndAsync(ct));
            var report = await AssetImport.RunAsync(store, http.Actor(), reader, dryRun ?? false, null, ct);
            if (report.Ok) return Results.Ok(report);
            return Results.ValidationProblem(
                report.Problems.GroupBy(p => $"row {p.Row}.{p.Column}")
                    .ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()),
                title: "The file has problems; nothing was imported",
                extensions: new Dictionary<string, object?> { ["problems"] = report.Problems });
        }).RequireAuthorization(Policies.EditAssets);
        return api;
    }

    /// <summary>
    /// One filtered page of the register. Also served at GET /api/v1/assets, the collection URL users of
    /// other REST APIs (NetBox, GLPI) try first.
    /// </summary>
    public static RouteHandlerBuilder MapInventoryPage(this IEndpointRouteBuilder group, string pattern) =>
        group.MapGet(pattern, async ([AsParameters] InventoryFilter f, IDocumentStore store, CancellationToken ct) =>
                Results.Text(await InventoryQueries.FindJsonAsync(store.QuerySession(), f, ct), "application/json"))
            .Produces<InventoryPage>().RequireAuthorization(Policies.Read);
}
