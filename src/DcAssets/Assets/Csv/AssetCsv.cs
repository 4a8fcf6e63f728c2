using System.Globalization;
using CsvHelper;

namespace DcAssets.Assets.Csv;

/// <summary>
/// The register's CSV columns, the same for export and import. Attributes are "key=value" pairs
/// separated by ';'. Category and status use the snake_case words, dates are yyyy-MM-dd.
/// </summary>
public static class AssetCsv
{
    public static readonly string[] Columns =
    [
        "tag", "category", "make", "model", "serial", "room", "rack", "position", "height_u", "status",
        "management_address", "owner", "purchase_date", "warranty_end", "support_contract", "attributes",
    ];


    /// <summary>
    /// A column's field as the API and the refusals name it: "management_address" → "managementAddress".
    /// </summary>
    public static string FieldOf(string column) => string.Concat(column.Split('_')
        .Select((w, i) => i == 0 || w.Length == 0 ? w : char.ToUpperInvariant(w[0]) + w[1..]));

    /// <param name="header">The header row (the column codes unless given).</param>
    /// <param name="fields">An asset's cells (<see cref="Fields"/> unless given).</param>
    public static async Task WriteAsync(IAsyncEnumerable<Asset> assets, TextWriter writer, CancellationToken ct,
        string[]? header = null, Func<Asset, string?[]>? fields = null)
    {
        await using var csv = CsvWriter.Create(writer, new CsvWriterOptions(), true);
        csv.WriteHeader(header ?? Columns);
        await foreach (var a in assets.WithCancellation(ct))
        {
            await csv.WriteRecordAsync([.. (fields ?? Fields)(a).Select(f => f ?? "")], ct);
        }
        await csv.FlushAsync(ct);
    }

    /// <summary>An asset's values in <see cref="Columns"/> order, as text.</summary>
    public static string?[] Fields(Asset a)
    {
        var d = a.Details;
        return
        [
            a.Tag, AssetVocabulary.Name(d.Category), d.Make, d.Model, d.Serial, a.Location?.Room, a.Location?.Rack,
            a.Location?.Position?.ToString(CultureInfo.InvariantCulture),
            d.HeightU.ToString(CultureInfo.InvariantCulture),
            AssetVocabulary.Name(a.Status), d.ManagementAddress, d.Owner, d.PurchaseDate?.ToString("yyyy-MM-dd"),
            a.WarrantyEnd?.ToString("yyyy-MM-dd"), a.SupportContract,
            d.Attributes is null
                ? null : string.Join(";", d.Attributes.OrderBy(x => x.Key).Select(x => $"{x.Key}={x.Value}")),
        ];
    }

    /// <summary>
    /// Reads every row; what cannot be read (a field count, a whole number) becomes a problem naming its row and
    /// column, never an exception, and the rest of the row is still read so its other problems can be found.
    /// </summary>
    public static List<CsvRow> Read(TextReader reader, List<ImportProblem> problems)
    {
        var rows = new List<CsvRow>();
        try
        {
            using var csv = CsvReader.Create(reader,
                new CsvReaderOptions { TrimWhitespace = true, TrackLineNumbers = true, SkipEmptyLines = true }, true);
            var header = csv.Headers.Select(h => h.Trim().ToLowerInvariant()).ToArray();
            if (header.Length == 0 || header.All(h => h.Length == 0))
            {
                problems.Add(new ImportProblem(1, "header", "the file is empty; the first line must name the columns"));
                return rows;
            }
            foreach (var missing in Columns.Take(2).Where(c => !header.Contains(c)))
                problems.Add(new ImportProblem(1, missing, $"column '{missing}' is missing from the header"));
            foreach (var unknown in header.Where(h => !Columns.Contains(h)))
                problems.Add(new ImportProblem(1, unknown,
                    $"unknown column '{unknown}'; the columns are {string.Join(",", Columns)}"));
            if (problems.Count > 0) return rows;

            while (csv.Read())
            {
                var line = (int)csv.LineNumber;
                var values = Enumerable.Range(0, csv.FieldCount).Select(i => csv.GetString(i)).ToArray();
                // A short or long row is still read column by column (missing ones empty), so its other problems are
                // reported too.
                if (values.Length != header.Length)
                    problems.Add(new ImportProblem(line, "row",
                        $"{values.Length} fields where the header has {header.Length}"));
                rows.Add(new CsvRow(line, Row(line, header, values, problems)));
            }
        }
        catch (CsvFormatException ex)
        {
            problems.Add(new ImportProblem(0, "file", $"the file is not well-formed CSV: {ex.Message}"));
        }
        return rows;
    }

    private static AssetInput Row(int line, string[] header, string[] values, List<ImportProblem> problems)
    {
        string? F(string name) =>
            Array.IndexOf(header, name) is >= 0 and var i && i < values.Length
            ? AssetVocabulary.Clean(values[i]) : null;
        int? Int(string name)
        {
            var text = F(name);
            if (text is null) return null;
            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)) return n;
            problems.Add(new ImportProblem(line, name, $"'{text}' is not a whole number"));
            return null;
        }
        Dictionary<string, string>? attributes = null;
        if (F("attributes") is { } attrs)
        {
            attributes = [];
            foreach (var pair in attrs.Split(';',
                StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var eq = pair.IndexOf('=');
                if (eq <= 0) problems.Add(new ImportProblem(line, "attributes", $"'{pair}' is not key=value"));
                else attributes[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
            }
        }
        return new AssetInput
        {
            Tag = F("tag"), Category = F("category"), Make = F("make"), Model = F("model"), Serial = F("serial"),
            Room = F("room"), Rack = F("rack"), Position = Int("position"), HeightU = Int("height_u"),
            Status = F("status"),
            ManagementAddress = F("management_address"), Owner = F("owner"), PurchaseDate = F("purchase_date"),
            WarrantyEnd = F("warranty_end"), SupportContract = F("support_contract"), Attributes = attributes,
        };
    }
}

public sealed record CsvRow(int Line, AssetInput Input);

/// <summary>One thing wrong with an import: the file's line (1 is the header), the column, and what is wrong.</summary>
public sealed record ImportProblem(int Row, string Column, string Message);
