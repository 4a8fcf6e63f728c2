using DcAssets.EventStore;
using DcAssets.Telemetry.Alarms;
using DcAssets.Telemetry.Polling;
using DcAssets.Telemetry.Readings;
using DcAssets.Telemetry.Traps;

namespace DcAssets.Telemetry;

/// <summary>The telemetry slice's stored names (never change them) and its projections.</summary>
public static class TelemetrySlice
{
    public static void Register(EventStoreOptions options)
    {
        options.Events
            .Register<PollingConfigured>("polling_configured")
            .Register<PollingRemoved>("polling_removed")
            .Register<UpsReadingRecorded>("ups_reading_recorded")
            .Register<AcReadingRecorded>("ac_reading_recorded")
            .Register<PollFailed>("poll_failed")
            .Register<AlarmRaised>("alarm_raised")
            .Register<AlarmAcknowledged>("alarm_acknowledged")
            .Register<AlarmCleared>("alarm_cleared")
            .Register<TrapReceived>("trap_received");
        options.InlineProjections.Add(new PollSlotGuard());
        options.InlineProjections.Add(new PolledDeviceProjection());
        options.InlineProjections.Add(new DeviceStatusProjection());
        options.InlineProjections.Add(new ActiveAlarmProjection());
        options.AsyncProjections.Add(new HourlyRollupProjection());
        options.AsyncProjections.Add(new DailyRollupProjection());
        options.AsyncProjections.Add(new AlarmHistoryProjection());
    }
}
