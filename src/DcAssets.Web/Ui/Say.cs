using Microsoft.Extensions.Localization;

namespace DcAssets.Web.Ui;

/// <summary>
/// The register's words in the reader's language: refusals by code, field names, event names, roles, sources and
/// stored values (status, category), each from the resources with the stored text as the fallback.
/// </summary>
public static class Say
{
    public static string Refusal(this IStringLocalizer t, DcAssets.Refusal r) =>
        r.Code is null ? r.Text : Or(t["Refusal." + r.Code, r.Args.Cast<object>().ToArray()], r.Text);

    /// <summary>"heightU" → "Height (U)"; "location.rack" → "Rack"; "attributes.os" → "Attributes: os".</summary>
    public static string FieldLabel(this IStringLocalizer t, string field)
    {
        if (field.StartsWith("attributes.", StringComparison.Ordinal))
            return $"{t["Field.Attributes"]}: {field["attributes.".Length..]}";
        var name = field.StartsWith("location.", StringComparison.Ordinal) ? field["location.".Length..] : field;
        return name.Length == 0 ? field : Or(t["Field." + char.ToUpperInvariant(name[0]) + name[1..]], field);
    }

    /// <summary>
    /// A stored value as people read it: statuses and categories by their names, everything else as stored.
    /// </summary>
    public static string FieldValue(this IStringLocalizer t, string field, string? value) =>
        value is null ? "" : field switch
    {
        "status" => Or(t["Status." + value], value),
        "category" => Or(t["Category." + value], value),
        _ => value,
    };

    public static string EventName(this IStringLocalizer t, string type) => Or(t["Event." + type], type);
    public static string RoleName(this IStringLocalizer t, string? role) =>
        string.Join(", ",
            (role ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(r => Or(t["Role." + r], r)));
    public static string SourceName(this IStringLocalizer t, string? source) =>
        source is null ? "" : Or(t["Source." + source], source);

    /// <summary>A rack unit ("U12") and a height ("2 U") as the language writes them.</summary>
    public static string Unit(this IStringLocalizer t, int u) => t["Unit.Position", u];
    public static string Height(this IStringLocalizer t, int? height) =>
        height is null ? "" : t["Unit.Height", height.Value];

    /// <summary>How long something lasted, in the language's units ("3 小时 12 分钟", "3 h 12 min").</summary>
    public static string Duration(this IStringLocalizer t, TimeSpan d)
    {
        if (d < TimeSpan.Zero) d = TimeSpan.Zero;
        return d.TotalMinutes < 1 ? t["Duration.Seconds", (int)d.TotalSeconds]
            : d.TotalHours < 1 ? t["Duration.Minutes", (int)d.TotalMinutes]
            : d.TotalDays < 1 ? t["Duration.HoursMinutes", (int)d.TotalHours, d.Minutes]
            : t["Duration.DaysHours", (int)d.TotalDays, d.Hours];
    }

    private static string Or(LocalizedString s, string fallback) => s.ResourceNotFound ? fallback : s.Value;
}
