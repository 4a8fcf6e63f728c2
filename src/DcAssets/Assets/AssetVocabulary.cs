using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DcAssets.Assets;

public enum AssetCategory
{
    Server, Storage, Switch, Router, Firewall, IdsIps, AuditAppliance, Ups, PrecisionAc, Pdu, Kvm,
    DisplayWall, Camera, EnvironmentalSensor, Pc, Printer, Other,
}

public enum AssetStatus { Planned, InService, Maintenance, Faulty, Retired }

/// <summary>The words of the register as they appear in JSON, CSV and URLs (snake_case), and their checks.</summary>
public static partial class AssetVocabulary
{
    public const string TagRule =
        "1-40 characters of letters, digits, '-', '_' and '.', starting with a letter or digit";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")]
    private static partial Regex TagPattern();

    public static bool IsValidTag(string? tag) => tag is not null && TagPattern().IsMatch(tag);

    /// <summary>Tags are unique regardless of case: the stream id is the upper-cased tag.</summary>
    public static string StreamId(string tag) => "asset-" + tag.ToUpperInvariant();

    public static string Name<T>(T value) where T : struct, Enum =>
        JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    public static IEnumerable<string> Names<T>() where T : struct, Enum => Enum.GetValues<T>().Select(Name);

    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        foreach (var v in Enum.GetValues<T>())
            if (string.Equals(Name(v), text?.Trim(), StringComparison.OrdinalIgnoreCase)) { value = v; return true; }
        value = default;
        return false;
    }

    public static bool TryParseDate(string? text, out DateOnly? date)
    {
        date = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (!DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None,
            out var d)) return false;
        date = d;
        return true;
    }

    public static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
