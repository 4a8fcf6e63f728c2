using DcAssets.Telemetry.Alarms;
using DcAssets.Telemetry.Polling;
using DcAssets.Telemetry.Readings;
using DcAssets.Telemetry.Traps;
using JasperFx.Events.Projections;
using Marten;

namespace DcAssets.Telemetry;

/// <summary>The telemetry slice's stored names (never change them) and its read models on Marten.</summary>
public static class TelemetrySlice
{
    /// <summary>Projection names, also the document aliases (Marten's tables are mt_doc_NAME).</summary>
    public const string PolledDevices = "telemetry_polled_devices", DeviceStatuses = "telemetry_device_status",
        ActiveAlarms = "telemetry_active_alarms", HourlyRollups = "telemetry_hourly_rollups",
        DailyRollups = "telemetry_daily_rollups", AlarmHistory = "telemetry_alarm_history";

    /// <summary>Telemetry's use cases run as handlers (the poller appends its readings itself).</summary>
    public static readonly IReadOnlyList<Type> UseCases =
        [typeof(ConfigurePollingHandler), typeof(RemovePollingHandler), typeof(AcknowledgeAlarmHandler)];

    /// <summary>The async projections, by the names operators use (projections status|rebuild|resume).</summary>
    public static readonly IReadOnlyList<string> AsyncProjections = [AlarmHistory, DailyRollups, HourlyRollups];

    /// <summary>The slice's events by their stored names (never change them).</summary>
    public static readonly IReadOnlyList<(Type Type, string Name)> Events =
    [
        (typeof(PollingConfigured), "polling_configured"),
        (typeof(PollingRemoved), "polling_removed"),
        (typeof(UpsReadingRecorded), "ups_reading_recorded"),
        (typeof(AcReadingRecorded), "ac_reading_recorded"),
        (typeof(PollFailed), "poll_failed"),
        (typeof(AlarmRaised), "alarm_raised"),
        (typeof(AlarmAcknowledged), "alarm_acknowledged"),
        (typeof(AlarmCleared), "alarm_cleared"),
        (typeof(TrapReceived), "trap_received"),
    ];

    /// <summary>
    /// Inline (written in the saving transaction): the poll slots, the polled devices, device status and active
    /// alarms. Async (Marten's daemon, behind the appends): hourly and daily rollups and the alarm history.
    /// </summary>
    public static void Register(StoreOptions options)
    {
        options.Schema.For<PollSlot>().DocumentAlias(PollSlotGuard.Alias);
        options.Schema.For<PolledDevice>().DocumentAlias(PolledDevices).Identity(x => x.AssetId);
        options.Schema.For<DeviceStatus>().DocumentAlias(DeviceStatuses).Identity(x => x.AssetId);
        options.Schema.For<ActiveAlarm>().DocumentAlias(ActiveAlarms).Index(x => x.AssetId);
        options.Schema.For<AlarmRecord>().DocumentAlias(AlarmHistory).Identity(x => x.AlarmId).Index(x => x.AssetId);
        options.Schema.For<HourlyReadingRollup>().DocumentAlias(HourlyRollups).Index(x => x.AssetId);
        options.Schema.For<DailyReadingRollup>().DocumentAlias(DailyRollups).Index(x => x.AssetId);

        options.Projections.Add(new PollSlotGuard(), ProjectionLifecycle.Inline);
        options.Projections.Add(new PolledDeviceProjection(), ProjectionLifecycle.Inline);
        options.Projections.Add(new DeviceStatusProjection(), ProjectionLifecycle.Inline);
        options.Projections.Add(new ActiveAlarmProjection(), ProjectionLifecycle.Inline);
        options.Projections.Add(new HourlyRollupProjection(), ProjectionLifecycle.Async);
        options.Projections.Add(new DailyRollupProjection(), ProjectionLifecycle.Async);
        options.Projections.Add(new AlarmHistoryProjection(), ProjectionLifecycle.Async);
    }
}
