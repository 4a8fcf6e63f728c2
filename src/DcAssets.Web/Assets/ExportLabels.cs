using DcAssets.Assets;
using DcAssets.Assets.Csv;
using DcAssets.Web.Ui;
using Microsoft.Extensions.Localization;

namespace DcAssets.Web.Assets;

/// <summary>
/// An export for people to read (?labels=true, what the inventory page links to): column headers, categories and
/// statuses in the reader's language. Without it the export keeps the codes, as the API and the import expect.
/// </summary>
public static class ExportLabels
{
    private static readonly int Category = Array.IndexOf(AssetCsv.Columns, "category"),
        Status = Array.IndexOf(AssetCsv.Columns, "status");

    /// <summary>"management_address" → the label of the field "managementAddress".</summary>
    public static string[] Headers(IStringLocalizer t) =>
        AssetCsv.Columns.Select(c => t.FieldLabel(AssetCsv.FieldOf(c))).ToArray();

    public static string?[] Fields(IStringLocalizer t, Asset a)
    {
        var fields = AssetCsv.Fields(a);
        fields[Category] = t.FieldValue("category", fields[Category]);
        fields[Status] = t.FieldValue("status", fields[Status]);
        return fields;
    }
}
