using DcAssets.Telemetry.Alarms;

namespace DcAssets.Telemetry.Profiles;

/// <summary>What a polled device is: its reading event and its default alarm rules follow from this.</summary>
public enum DeviceKind { Ups, Ac }

/// <summary>
/// One named reading: the OID to GET, the unit of the scaled value and the scale itself. The raw
/// integer is stored beside the scale, so a wrong scale can be corrected later without losing data.
/// </summary>
public sealed record ReadingDefinition(string Name, string Oid, string Unit, double Scale = 1);

/// <summary>A vendor's MIB mapped to readings, with the alarm rules that apply to them by default.</summary>
public sealed record DeviceProfile(string Name, DeviceKind Kind, IReadOnlyList<ReadingDefinition> Readings,
    IReadOnlyList<AlarmRule> Rules)
{
    /// <summary>
    /// The column of the agent's alarm table that names each active alarm (walked only when alarms are present).
    /// </summary>
    public string? AlarmTable { get; init; }

    /// <summary>The reading that counts active alarms; a non-zero value triggers the alarm-table walk.</summary>
    public string? AlarmCount { get; init; }
}
