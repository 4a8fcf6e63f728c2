namespace DcAssets.Telemetry;

/// <summary>
/// Stream naming: configuration, alarms, failures and traps of a device share one stream; readings go
/// to one stream per device per UTC day so no stream grows without bound and old days can be archived.
/// </summary>
public static class TelemetryStreams
{
    public static string Device(string assetId) => $"telemetry-{assetId}";

    public static string Readings(string assetId, DateTimeOffset scheduledAt) =>
        $"readings-{assetId}-{scheduledAt.UtcDateTime:yyyyMMdd}";

    public const string UnmatchedTraps = "telemetry-traps-unmatched";

    /// <summary>Asset ids become part of stream ids, so they keep to the stream id alphabet.</summary>
    public static void ValidateAssetId(string assetId)
    {
        if (string.IsNullOrEmpty(assetId) || assetId.Length > 100
            || !assetId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '@'))
            throw new ArgumentException(
                $"asset id '{assetId}' must be 1-100 letters, digits, '-', '_', '.', ':' or '@'");
    }
}
