using System.Net;
using DcAssets.Snmp;
using DcAssets.Snmp.Usm;
using DcAssets.Telemetry.Alarms;
using DcAssets.Telemetry.Profiles;

namespace DcAssets.Telemetry.Polling;

/// <summary>A configured device made ready to poll: the SNMP target with its passwords opened, the profile and the effective rules.</summary>
public sealed record PollTarget(string AssetId, SnmpTarget Snmp, DeviceProfile Profile, TimeSpan Interval, IReadOnlyList<AlarmRule> Rules)
{
    /// <summary>The profile's OIDs parsed once, in reading order.</summary>
    public IReadOnlyList<Oid> Oids { get; } = Profile.Readings.Select(r => Oid.Parse(r.Oid)).ToList();

    public static PollTarget From(PollingConfigured c, ProfileCatalog profiles, CredentialSealer? sealer)
    {
        var ep = IPAddress.TryParse(c.Address, out var ip) ? new IPEndPoint(ip, c.Port) : SnmpTarget.ParseEndPoint(c.Address, c.Port);
        UsmUser? user = null;
        if (c.V3User is { } u)
        {
            string? Open(string? s) => s is null ? null
                : (sealer ?? throw new InvalidOperationException($"{c.AssetId} has SNMPv3 credentials but no credential key is configured")).Open(c.AssetId, s);
            user = new UsmUser(u.Name, u.Auth, Open(u.AuthPasswordSealed), u.Priv, Open(u.PrivPasswordSealed));
        }
        var profile = profiles.Get(c.Profile);
        // A short timeout with retries: a poll must end well inside its interval.
        var timeout = TimeSpan.FromMilliseconds(Math.Clamp(c.IntervalSeconds * 1000 / 4, 300, 2000));
        var snmp = new SnmpTarget(ep, c.Version, c.Community ?? "public", user) { Timeout = timeout, Retries = 1 };
        return new PollTarget(c.AssetId, snmp, profile, TimeSpan.FromSeconds(c.IntervalSeconds), RuleOverride.Apply(profile.Rules, c.RuleOverrides));
    }
}
