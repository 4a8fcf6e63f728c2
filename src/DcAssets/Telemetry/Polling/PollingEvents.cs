using DcAssets.Snmp;
using DcAssets.Snmp.Usm;
using DcAssets.Telemetry.Alarms;

namespace DcAssets.Telemetry.Polling;

/// <summary>
/// SNMPv3 user; the passwords are sealed (<see cref="CredentialSealer"/>) and never leave the poller in clear.
/// </summary>
public sealed record SealedV3User(string Name, AuthProtocol Auth, string? AuthPasswordSealed, PrivProtocol Priv,
    string? PrivPasswordSealed);

/// <summary>
/// An asset (UPS or precision AC) is polled: where, how, with which profile, how often, with which rule
/// overrides; the nominal input voltage when the agent does not state it; and how its traps are told
/// apart from other units behind the same address (community, engine id). Later fields are absent in early events.
/// </summary>
public sealed record PollingConfigured(
    string AssetId,
    string Address,
    int Port,
    SnmpVersion Version,
    string Profile,
    int IntervalSeconds,
    string? Community = null,
    SealedV3User? V3User = null,
    IReadOnlyList<RuleOverride>? RuleOverrides = null,
    double? NominalInputVoltage = null,
    string? TrapCommunity = null,
    string? TrapEngineId = null);

/// <summary>The asset is no longer polled (its history stays).</summary>
public sealed record PollingRemoved(string AssetId);
