using DcAssets.Assets;
using DcAssets.Assets.Csv;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace DcAssets.Web.Assets;

/// <summary>
/// The inventory as an Excel workbook: one sheet, the CSV's columns, text cells (tags and dates stay as typed).
/// </summary>
public static class InventoryXlsx
{
    public static async Task<byte[]> WriteAsync(IAsyncEnumerable<Asset> assets, CancellationToken ct,
        IReadOnlyList<string>? header = null, Func<Asset, string?[]>? fields = null)
    {
        using var buffer = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(buffer, SpreadsheetDocumentType.Workbook))
        {
            var workbook = doc.AddWorkbookPart();
            workbook.Workbook = new Workbook();
            var sheetPart = workbook.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            data.Append(Row(header ?? AssetCsv.Columns));
            await foreach (var a in assets.WithCancellation(ct)) data.Append(Row((fields ?? AssetCsv.Fields)(a)));
            sheetPart.Worksheet = new Worksheet(data);
            workbook.Workbook.AppendChild(new Sheets(new Sheet { Id = workbook.GetIdOfPart(sheetPart), SheetId = 1,
                Name = "inventory" }));
            workbook.Workbook.Save();
        }
        return buffer.ToArray();
    }

    private static Row Row(IEnumerable<string?> values)
    {
        var row = new Row();
        foreach (var v in values)
            row.Append(new Cell { DataType = CellValues.InlineString,
                InlineString = new InlineString(new Text(v ?? "") { Space = SpaceProcessingModeValues.Preserve }) });
        return row;
    }
}
