using System.Net;
using DcAssets.Snmp;
using DcAssets.Snmp.Usm;
using DcAssets.Telemetry.Alarms;
using DcAssets.Telemetry.Profiles;

namespace DcAssets.Telemetry.Polling;

/// <summary>
/// A configured device made ready to poll: the SNMP target with its passwords opened, the profile and the effective
/// rules.
/// </summary>
public sealed record PollTarget(string AssetId, SnmpTarget Snmp, DeviceProfile Profile, TimeSpan Interval,
    IReadOnlyList<AlarmRule> Rules)
{
    /// <summary>The profile's OIDs parsed once, in reading order.</summary>
    public IReadOnlyList<Oid> Oids { get; } = Profile.Readings.Select(r => Oid.Parse(r.Oid)).ToList();

    /// <summary>The device_unreachable rule after the asset's overrides; null when the asset switched it off.</summary>
    public AlarmRule? Unreachable { get; init; } = UnreachableOf(Profile);

    /// <summary>The input-voltage rule's nominal when the agent does not state one (upsConfigInputVoltage).</summary>
    public double NominalInputVoltage { get; init; } = DefaultRules.DefaultNominalInputVoltage;

    /// <summary>
    /// The community this device's v1/v2c traps carry, when it is configured (tells apart units behind one address).
    /// </summary>
    public string? TrapCommunity { get; init; }

    /// <summary>The device's SNMP engine id (hex), which its v3 traps carry, when it is configured.</summary>
    public string? TrapEngineId { get; init; }

    private static AlarmRule UnreachableOf(DeviceProfile p) =>
        p.Rules.FirstOrDefault(r => r.Id == DefaultRules.Unreachable) ?? DefaultRules.UnreachableRule(p.Kind);

    public static PollTarget From(PollingConfigured c, ProfileCatalog profiles, CredentialSealer? sealer)
    {
        var ep = IPAddress.TryParse(c.Address, out var ip)
            ? new IPEndPoint(ip, c.Port) : SnmpTarget.ParseEndPoint(c.Address, c.Port);
        UsmUser? user = null;
        if (c.V3User is { } u)
        {
            string? Open(string? s) => s is null ? null
                : (sealer ?? throw new InvalidOperationException($"{c.AssetId} has SNMPv3 credentials but no " +
                    $"credential key is configured")).Open(c.AssetId, s);
            user = new UsmUser(u.Name, u.Auth, Open(u.AuthPasswordSealed), u.Priv, Open(u.PrivPasswordSealed));
        }
        var profile = profiles.Get(c.Profile);
        // Configurations from before the interval floor are polled at the floor.
        var seconds = Math.Max(c.IntervalSeconds, ConfigurePollingHandler.MinIntervalSeconds);
        // A short timeout with retries: a poll must end well inside its interval.
        var timeout = TimeSpan.FromMilliseconds(Math.Clamp(seconds * 1000 / 4, 300, 2000));
        var snmp = new SnmpTarget(ep, c.Version, c.Community ?? "public", user) { Timeout = timeout, Retries = 1 };
        var unreachable = UnreachableOf(profile);
        var rules = RuleOverride.Apply([.. profile.Rules.Where(r => r.Id != DefaultRules.Unreachable), unreachable],
            c.RuleOverrides);
        return new PollTarget(c.AssetId, snmp, profile, TimeSpan.FromSeconds(seconds),
            rules.Where(r => r.Id != DefaultRules.Unreachable).ToList())
        {
            Unreachable = rules.FirstOrDefault(r => r.Id == DefaultRules.Unreachable),
            NominalInputVoltage = c.NominalInputVoltage ?? DefaultRules.DefaultNominalInputVoltage,
            TrapCommunity = c.TrapCommunity, TrapEngineId = c.TrapEngineId,
        };
    }
}
