using System.Text.Json.Serialization;

namespace DcAssets.Telemetry.Readings;

/// <summary>
/// One reading as the agent gave it: the raw integer, the scale that makes it a value in <see cref="Unit"/>.
/// </summary>
public sealed record Reading(string Name, long Raw, double Scale, string Unit)
{
    [JsonIgnore] public double Value => Raw * Scale;
}

/// <summary>
/// What every reading event carries; the UPS and AC events differ only in name, so projections treat them alike.
/// </summary>
public interface IReadingRecorded
{
    string AssetId { get; }
    string Profile { get; }
    DateTimeOffset ScheduledAt { get; }
    DateTimeOffset PolledAt { get; }
    double LatencyMs { get; }
    string Trigger { get; }
    IReadOnlyList<Reading> Readings { get; }
    IReadOnlyList<string>? ActiveAlarms { get; }
    IReadOnlyList<string>? Skipped { get; }
}

public static class PollTriggers
{
    public const string Schedule = "schedule", Trap = "trap";
}

/// <summary>
/// A UPS poll. ActiveAlarms are the OIDs of the agent's alarm table rows (upsAlarmDescr); Skipped names values the
/// agent gave that could not be recorded (a Counter64 past 2^63) and why (absent in earlier events).
/// </summary>
public sealed record UpsReadingRecorded(string AssetId, string Profile, DateTimeOffset ScheduledAt,
    DateTimeOffset PolledAt, double LatencyMs,
    string Trigger, IReadOnlyList<Reading> Readings, IReadOnlyList<string>? ActiveAlarms = null,
    IReadOnlyList<string>? Skipped = null) : IReadingRecorded;

/// <summary>
/// A precision-AC poll. ActiveAlarms are the OIDs of the unit's active conditions (lgpConditionDescr); Skipped as for a
/// UPS.
/// </summary>
public sealed record AcReadingRecorded(string AssetId, string Profile, DateTimeOffset ScheduledAt,
    DateTimeOffset PolledAt, double LatencyMs,
    string Trigger, IReadOnlyList<Reading> Readings, IReadOnlyList<string>? ActiveAlarms = null,
    IReadOnlyList<string>? Skipped = null) : IReadingRecorded;

public enum PollFailure { Timeout, AuthFailure, NoSuchObject, Error }

/// <summary>
/// A poll failed in a new way (appended on the change, not on every failed poll). Trigger is absent (schedule) in early
/// events.
/// </summary>
public sealed record PollFailed(string AssetId, DateTimeOffset ScheduledAt, PollFailure Reason, string Detail,
    string? Trigger = null);
