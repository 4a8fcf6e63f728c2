using System.Globalization;

namespace DcAssets.Web;

/// <summary>
/// Numbers read from configuration (appsettings, or environment variables such as <c>Sealing__EverySeconds</c>).
/// A value that is present but not usable stops the host with the key's name rather than running with a silent
/// default.
/// </summary>
internal static class Settings
{
    public static int Int(IConfiguration config, string key, int fallback, int min, int max)
    {
        var text = config[key];
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min && v <= max
            ? v
            : throw new InvalidOperationException($"configuration {key} = '{text}' must be a whole number from {min} " +
                $"to {max}");
    }

    public static TimeSpan Seconds(IConfiguration config, string key, TimeSpan fallback, double min, double max)
    {
        var text = config[key];
        if (string.IsNullOrWhiteSpace(text)) return fallback;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v >= min
            && v <= max
            ? TimeSpan.FromSeconds(v)
            : throw new InvalidOperationException($"configuration {key} = '{text}' must be a number of seconds from " +
                $"{min} to {max}");
    }
}
