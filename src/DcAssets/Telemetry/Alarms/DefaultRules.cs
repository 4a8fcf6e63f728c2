namespace DcAssets.Telemetry.Alarms;

/// <summary>
/// The thresholds the issue asks for, as rules over the canonical reading names the built-in profiles
/// share. State rules (on battery, battery low, unit off) raise on the first poll that shows them and
/// clear only after two normal polls in a row, so a unit toggling between states raises once; analogue
/// thresholds need a minute of persistence and clear only a minute after leaving the hysteresis band.
/// </summary>
public static class DefaultRules
{
    public const string Unreachable = "device_unreachable";
    public const int UnreachableAfterPolls = 3;

    /// <summary>Normal polls in a row before a state rule (or device_unreachable) clears.</summary>
    public const int StateClearPolls = 2;

    /// <summary>
    /// The reading the input-voltage rule is relative to (upsConfigInputVoltage where the profile has it).
    /// </summary>
    public const string NominalInputVoltage = "nominal_input_voltage";

    /// <summary>Mains in China; used when neither the agent nor the polling configuration states a nominal.</summary>
    public const double DefaultNominalInputVoltage = 220;

    private static readonly TimeSpan Persist = TimeSpan.FromMinutes(1);

    public static AlarmRule OnBattery(string reading, double value) =>
        new("on_battery", FaultLevel.Major, [new(reading, Comparison.Equal, value)])
            { ClearAfterPolls = StateClearPolls, Description = "UPS running on battery" };

    public static IReadOnlyList<AlarmRule> Ups(AlarmRule onBattery) =>
    [
        onBattery,
        new("battery_low", FaultLevel.Major,
            [new("battery_charge", Comparison.Below, 30, Hysteresis: 5),
            new("battery_minutes_remaining", Comparison.Below, 10, Hysteresis: 2)])
            { ClearAfterPolls = StateClearPolls, Description = "battery charge below 30 % or under 10 minutes left" },
        new("output_overload", FaultLevel.Urgent, [new("output_load.*", Comparison.Above, 80, Hysteresis: 5)])
            { RaiseAfter = Persist, ClearAfter = Persist, Description = "output load above 80 %" },
        new("battery_temperature_high", FaultLevel.General,
            [new("battery_temperature", Comparison.Above, 40, Hysteresis: 2)])
            { RaiseAfter = Persist, ClearAfter = Persist, Description = "battery temperature above 40 °C" },
        new("input_voltage_out_of_range", FaultLevel.General,
            [new("input_voltage.*", Comparison.Outside, 0.9, 1.1,
                Hysteresis: 0.02) { RelativeTo = NominalInputVoltage }])
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
        new("unit_off", FaultLevel.Urgent, [new("unit_state", Comparison.Equal, unitOffValue)])
            { ClearAfterPolls = StateClearPolls, Description = "precision AC unit is off" },
    ];

    /// <summary>
    /// Raised after 3 failed polls in a row, cleared after 2 answers in a row; it has no conditions, only
    /// poll counts (which a polling configuration may override). An unreachable UPS is a UPS failure as far
    /// as the contracts are concerned; an unreachable AC is a device fault.
    /// </summary>
    public static AlarmRule UnreachableRule(Profiles.DeviceKind kind) =>
        new(Unreachable, kind == Profiles.DeviceKind.Ups ? FaultLevel.Major : FaultLevel.General, [])
            { RaiseAfterPolls = UnreachableAfterPolls, ClearAfterPolls = StateClearPolls,
                Description = "device does not answer" };
}
