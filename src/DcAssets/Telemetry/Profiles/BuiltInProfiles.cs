using DcAssets.Telemetry.Alarms;

namespace DcAssets.Telemetry.Profiles;

/// <summary>
/// The profiles shipped in code (OIDs from ../shared/reference/snmp.md §4–5). Readings use one
/// vocabulary across vendors (battery_charge, output_load.1, return_air_temperature...) so the default
/// rules, the rollups and the dashboard need not know the vendor.
/// </summary>
public static class BuiltInProfiles
{
    public const string UpsMib = "ups-mib", ApcPowerNet = "apc-powernet", LiebertAc = "liebert-ac";
    private const int Lines = 3;

    public static IReadOnlyList<DeviceProfile> All { get; } = [Rfc1628(), Apc(), Liebert()];

    private static IEnumerable<ReadingDefinition> PerLine(string name, string column, string unit, double scale = 1) =>
        Enumerable.Range(1, Lines).Select(i => new ReadingDefinition($"{name}.{i}", $"{column}.{i}", unit, scale));

    /// <summary>RFC 1628 UPS-MIB (1.3.6.1.2.1.33.1).</summary>
    private static DeviceProfile Rfc1628()
    {
        const string u = "1.3.6.1.2.1.33.1";
        List<ReadingDefinition> r =
        [
            new("battery_status", $"{u}.2.1.0", "enum"), // unknown 1, normal 2, low 3, depleted 4
            new("seconds_on_battery", $"{u}.2.2.0", "s"),
            new("battery_minutes_remaining", $"{u}.2.3.0", "min"),
            new("battery_charge", $"{u}.2.4.0", "%"),
            new("battery_voltage", $"{u}.2.5.0", "V", 0.1),
            new("battery_current", $"{u}.2.6.0", "A", 0.1),
            new("battery_temperature", $"{u}.2.7.0", "°C"),
            new("input_line_bads", $"{u}.3.1.0", "count"),
            .. PerLine("input_frequency", $"{u}.3.3.1.2", "Hz", 0.1),
            .. PerLine("input_voltage", $"{u}.3.3.1.3", "V"),
            .. PerLine("input_current", $"{u}.3.3.1.4", "A", 0.1),
            .. PerLine("input_power", $"{u}.3.3.1.5", "W"),
            new("output_source", $"{u}.4.1.0", "enum"), // normal 3, bypass 4, battery 5
            new("output_frequency", $"{u}.4.2.0", "Hz", 0.1),
            .. PerLine("output_voltage", $"{u}.4.4.1.2", "V"),
            .. PerLine("output_current", $"{u}.4.4.1.3", "A", 0.1),
            .. PerLine("output_power", $"{u}.4.4.1.4", "W"),
            .. PerLine("output_load", $"{u}.4.4.1.5", "%"),
            new("alarms_present", $"{u}.6.1.0", "count"),
            // upsConfigInputVoltage: what input_voltage_out_of_range is relative to
            new(DefaultRules.NominalInputVoltage, $"{u}.9.1.0", "V"),
        ];
        return new DeviceProfile(UpsMib, DeviceKind.Ups, r,
            DefaultRules.Ups(DefaultRules.OnBattery("output_source", 5)))
        {
            AlarmTable = $"{u}.6.2.1.2", AlarmCount = "alarms_present",
        };
    }

    /// <summary>APC PowerNet-MIB (1.3.6.1.4.1.318.1.1.1): run time arrives in TimeTicks, scaled to minutes.</summary>
    private static DeviceProfile Apc()
    {
        const string a = "1.3.6.1.4.1.318.1.1.1";
        List<ReadingDefinition> r =
        [
            new("battery_status", $"{a}.2.1.1.0", "enum"), // normal 2, low 3, fault 4
            new("seconds_on_battery", $"{a}.2.1.2.0", "s", 0.01),
            new("battery_charge", $"{a}.2.2.1.0", "%"),
            new("battery_temperature", $"{a}.2.2.2.0", "°C"),
            new("battery_minutes_remaining", $"{a}.2.2.3.0", "min", 1.0 / 6000),
            new("battery_voltage", $"{a}.2.2.8.0", "V"),
            new("input_voltage.1", $"{a}.3.2.1.0", "V"),
            new("input_frequency.1", $"{a}.3.2.4.0", "Hz"),
            new("output_status", $"{a}.4.1.1.0", "enum"), // online 2, on battery 3
            new("output_voltage.1", $"{a}.4.2.1.0", "V"),
            new("output_frequency", $"{a}.4.2.2.0", "Hz"),
            new("output_load.1", $"{a}.4.2.3.0", "%"),
            new("output_current.1", $"{a}.4.2.4.0", "A"),
        ];
        return new DeviceProfile(ApcPowerNet, DeviceKind.Ups, r,
            DefaultRules.Ups(DefaultRules.OnBattery("output_status", 3)));
    }

    /// <summary>
    /// Liebert/Vertiv precision AC (lgpFoundation 1.3.6.1.4.1.476.1.42.3). The temperature table is
    /// indexed by sensor id; this profile takes the common layout (1 = return air, 2 = supply air) and
    /// the tenths column for precision. Units with another layout get a YAML profile.
    /// </summary>
    private static DeviceProfile Liebert()
    {
        const string l = "1.3.6.1.4.1.476.1.42.3";
        List<ReadingDefinition> r =
        [
            new("return_air_temperature", $"{l}.4.1.3.3.1.50.1", "°C", 0.1),
            new("supply_air_temperature", $"{l}.4.1.3.3.1.50.2", "°C", 0.1),
            new("temperature_setpoint", $"{l}.4.1.3.1.0", "°C"),
            new("humidity", $"{l}.4.2.2.3.1.3.1", "%RH"),
            new("humidity_setpoint", $"{l}.4.2.2.1.0", "%RH"),
            new("unit_state", $"{l}.4.3.1.0", "enum"), // on 1, off 2, standby 3
            new("cooling_state", $"{l}.4.3.2.0", "enum"),
            new("fan_state", $"{l}.4.3.7.0", "enum"),
            new("cooling_capacity", $"{l}.4.3.9.0", "%"),
            new("compressor_1_state", $"{l}.4.3.12.2.0", "enum"),
            new("compressor_2_state", $"{l}.4.3.12.3.0", "enum"),
            new("conditions_present", $"{l}.2.2.0", "count"),
            new("system_state", $"{l}.7.2.2.0", "enum"),
        ];
        return new DeviceProfile(LiebertAc, DeviceKind.Ac, r, DefaultRules.Ac()) { AlarmTable = $"{l}.2.3.1.2",
            AlarmCount = "conditions_present" };
    }
}
