namespace DcAssets.Telemetry.Alarms;

/// <summary>
/// The thresholds the issue asks for, as rules over the canonical reading names the built-in profiles
/// share. State rules (on battery, unit off) raise at once; analogue thresholds need a minute of
/// persistence and clear only a minute after leaving the hysteresis band, so a hovering value cannot flood.
/// </summary>
public static class DefaultRules
{
    public const string Unreachable = "device_unreachable";
    public const int UnreachableAfterPolls = 3;

    private static readonly TimeSpan Persist = TimeSpan.FromMinutes(1);

    public static AlarmRule OnBattery(string reading, double value) =>
        new("on_battery", FaultLevel.Major, [new(reading, Comparison.Equal, value)]) { Description = "UPS running on battery" };

    public static IReadOnlyList<AlarmRule> Ups(AlarmRule onBattery, double nominalInputVoltage = 230) =>
    [
        onBattery,
        new("battery_low", FaultLevel.Major, [new("battery_charge", Comparison.Below, 30, Hysteresis: 5), new("battery_minutes_remaining", Comparison.Below, 10, Hysteresis: 2)])
            { Description = "battery charge below 30 % or under 10 minutes left" },
        new("output_overload", FaultLevel.Urgent, [new("output_load.*", Comparison.Above, 80, Hysteresis: 5)])
            { RaiseAfter = Persist, ClearAfter = Persist, Description = "output load above 80 %" },
        new("battery_temperature_high", FaultLevel.General, [new("battery_temperature", Comparison.Above, 40, Hysteresis: 2)])
            { RaiseAfter = Persist, ClearAfter = Persist, Description = "battery temperature above 40 °C" },
        new("input_voltage_out_of_range", FaultLevel.General,
            [new("input_voltage.*", Comparison.Outside, nominalInputVoltage * 0.9, nominalInputVoltage * 1.1, Hysteresis: nominalInputVoltage * 0.02)])
            { RaiseAfter = Persist, ClearAfter = Persist, Description = "input voltage outside nominal ±10 %" },
    ];

    public static IReadOnlyList<AlarmRule> Ac(double unitOffValue = 2) =>
    [
        new("return_air_high", FaultLevel.Urgent, [new("return_air_temperature", Comparison.Above, 27, Hysteresis: 1)])
            { RaiseAfter = Persist, ClearAfter = Persist, Description = "return air above 27 °C" },
        new("supply_air_low", FaultLevel.General, [new("supply_air_temperature", Comparison.Below, 15, Hysteresis: 1)])
            { RaiseAfter = Persist, ClearAfter = Persist, Description = "supply air below 15 °C" },
        new("humidity_out_of_range", FaultLevel.General, [new("humidity", Comparison.Outside, 30, 70, Hysteresis: 2)])
            { RaiseAfter = Persist, ClearAfter = Persist, Description = "relative humidity outside 30–70 %" },
        new("unit_off", FaultLevel.Urgent, [new("unit_state", Comparison.Equal, unitOffValue)]) { Description = "precision AC unit is off" },
    ];

    /// <summary>An unreachable UPS is a UPS failure as far as the contracts are concerned; an unreachable AC is a device fault.</summary>
    public static FaultLevel UnreachableSeverity(Profiles.DeviceKind kind) =>
        kind == Profiles.DeviceKind.Ups ? FaultLevel.Major : FaultLevel.General;
}
