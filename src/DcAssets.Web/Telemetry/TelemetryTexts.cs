using System.Globalization;
using DcAssets.Telemetry.Profiles;
using Microsoft.Extensions.Localization;

namespace DcAssets.Web.Telemetry;

/// <summary>
/// Reading names and values as people read them, in the page's language; the same for server-rendered tiles and the
/// refresh script.
/// </summary>
public static class TelemetryTexts
{
    /// <summary>
    /// What a tile shows of each kind of device; the device page shows every reading. A slot with
    /// alternatives ("output_source output_status") shows the first the device has: profiles name a state differently.
    /// </summary>
    public static readonly IReadOnlyDictionary<DeviceKind, string[]> TileReadings = new Dictionary<DeviceKind, string[]>
    {
        [DeviceKind.Ups] = ["output_source output_status", "battery_charge", "battery_minutes_remaining",
            "output_load.1", "input_voltage.1", "battery_temperature"],
        [DeviceKind.Ac] = ["unit_state", "return_air_temperature", "supply_air_temperature", "humidity",
            "temperature_setpoint"],
    };

    /// <summary>Every reading name a tile slot may show.</summary>
    public static IEnumerable<string> TileReadingNames =>
        TileReadings.Values.SelectMany(r => r).SelectMany(slot => slot.Split(' '));

    /// <summary>
    /// The states whose numbers have names (UPS-MIB upsBatteryStatus and upsOutputSource, PowerNet
    /// upsBasicOutputStatus, Liebert unit, cooling, fan and compressor states and lgpSysState).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, int[]> NamedStates = new Dictionary<string, int[]>
    {
        ["battery_status"] = [1, 2, 3, 4],
        ["output_source"] = [1, 2, 3, 4, 5, 6, 7],
        ["output_status"] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
        ["unit_state"] = [1, 2, 3],
        ["cooling_state"] = [1, 2],
        ["fan_state"] = [1, 2],
        ["compressor_1_state"] = [1, 2],
        ["compressor_2_state"] = [1, 2],
        ["system_state"] = [1, 2, 3, 4, 5],
    };

    /// <summary>
    /// A state reading's name in the page's language ("On battery"), for the server's tiles and the refresh script
    /// alike.
    /// </summary>
    public static Dictionary<string, Dictionary<string, string>> StateNames(IStringLocalizer t) =>
        NamedStates.ToDictionary(s => s.Key, s =>
            s.Value.ToDictionary(v => v.ToString(CultureInfo.InvariantCulture), v =>
            t[$"ReadingValue.{s.Key}.{v}"].Value));

    /// <summary>A reading as shown: a named state by its name, a number with its unit.</summary>
    public static string Value(IStringLocalizer t, string reading, double value, string unit)
    {
        if (unit == "enum" && NamedStates.ContainsKey(reading) && value == Math.Floor(value))
        {
            var text = t[$"ReadingValue.{reading}.{value.ToString("0", CultureInfo.InvariantCulture)}"];
            if (!text.ResourceNotFound) return text.Value;
        }
        return Value(value, unit);
    }

    /// <summary>
    /// "input_voltage.1" is the base name's label plus the line ("Input voltage L1"); unknown names (YAML profiles)
    /// show as they are.
    /// </summary>
    public static string Label(IStringLocalizer t, string reading)
    {
        var dot = reading.LastIndexOf('.');
        var (name, line) = dot > 0 && int.TryParse(reading[(dot + 1)..], out var n)
            ? (reading[..dot], $" L{n}") : (reading, "");
        var text = t["Reading." + name];
        return (text.ResourceNotFound ? name : text.Value) + line;
    }

    /// <summary>
    /// The alarm in the page's language for the built-in rules; a YAML profile's own rules show the domain's message.
    /// </summary>
    public static string Alarm(IStringLocalizer t, string rule, string message)
    {
        var text = t["Alarm." + rule];
        return text.ResourceNotFound ? message : text.Value;
    }

    public static readonly string[] BuiltInRules =
        ["on_battery", "battery_low", "output_overload", "battery_temperature_high", "input_voltage_out_of_range",
         "return_air_high", "supply_air_low", "humidity_out_of_range", "unit_off", "device_unreachable"];

    public static string Value(double value, string unit) =>
        unit is "enum" or "count" ? value.ToString("0", CultureInfo.InvariantCulture)
            : $"{value.ToString(Math.Abs(value) >= 100 ? "0" : "0.#", CultureInfo.InvariantCulture)} {unit}";

    /// <summary>Labels of every reading a page may show, for the script (it renders what the API returns).</summary>
    public static Dictionary<string, string> Labels(IStringLocalizer t, IEnumerable<string> readings) =>
        readings.Distinct().ToDictionary(r => r, r => Label(t, r));
}
