using DcAssets.EventStore;
using DcAssets.Snmp;
using DcAssets.Snmp.Usm;
using DcAssets.Telemetry.Alarms;
using DcAssets.Telemetry.Profiles;

namespace DcAssets.Telemetry.Polling;

/// <summary>The v3 user as an operator types it; passwords are sealed by the handler and never stored in clear.</summary>
public sealed record V3UserInput(string Name, AuthProtocol Auth = AuthProtocol.None, string? AuthPassword = null, PrivProtocol Priv = PrivProtocol.None, string? PrivPassword = null);

/// <summary>Starts or changes the polling of an asset.</summary>
public sealed record ConfigurePolling(string AssetId, string Address, string Profile, int Port = 161, SnmpVersion Version = SnmpVersion.V2c,
    string? Community = "public", V3UserInput? V3User = null, int IntervalSeconds = 60, IReadOnlyList<RuleOverride>? RuleOverrides = null);

public static class ConfigurePollingHandler
{
    /// <summary>Validates, seals the v3 passwords and decides the event (pure but for the sealer's random nonce).</summary>
    public static PollingConfigured Decide(ConfigurePolling c, ProfileCatalog profiles, CredentialSealer? sealer)
    {
        TelemetryStreams.ValidateAssetId(c.AssetId);
        if (string.IsNullOrWhiteSpace(c.Address)) throw new ArgumentException("an address is needed");
        if (c.Port is < 1 or > 65535) throw new ArgumentException($"port {c.Port} is out of range");
        if (c.IntervalSeconds is < 1 or > 86400) throw new ArgumentException("the interval must be 1 s to 1 day");
        profiles.Get(c.Profile);
        SealedV3User? user = null;
        if (c.Version == SnmpVersion.V3)
        {
            var u = c.V3User ?? throw new ArgumentException("SNMPv3 needs a user");
            if (u.Name.Length is 0 or > 32) throw new ArgumentException("a USM user name has 1 to 32 characters");
            if (u.Auth == AuthProtocol.None && u.Priv != PrivProtocol.None) throw new ArgumentException("privacy needs authentication");
            if (u.Auth != AuthProtocol.None && (u.AuthPassword?.Length ?? 0) < 8) throw new ArgumentException("the auth password needs at least 8 characters");
            if (u.Priv != PrivProtocol.None && (u.PrivPassword?.Length ?? 0) < 8) throw new ArgumentException("the privacy password needs at least 8 characters");
            if ((u.AuthPassword ?? u.PrivPassword) is not null && sealer is null)
                throw new InvalidOperationException($"no credential key configured: set {CredentialSealer.KeyFileVariable} or {CredentialSealer.KeyVariable}");
            user = new SealedV3User(u.Name, u.Auth, u.AuthPassword is null ? null : sealer!.Seal(c.AssetId, u.AuthPassword),
                u.Priv, u.PrivPassword is null ? null : sealer!.Seal(c.AssetId, u.PrivPassword));
        }
        else if (string.IsNullOrEmpty(c.Community)) throw new ArgumentException("v1/v2c polling needs a community");
        return new PollingConfigured(c.AssetId, c.Address, c.Port, c.Version, c.Profile, c.IntervalSeconds,
            c.Version == SnmpVersion.V3 ? null : c.Community, user, c.RuleOverrides);
    }

    public static async Task HandleAsync(EventStore.EventStore store, Actor actor, ConfigurePolling c, ProfileCatalog profiles, CredentialSealer? sealer, CancellationToken ct = default)
    {
        var e = Decide(c, profiles, sealer);
        await using var s = store.OpenSession(actor);
        s.Events.Append(TelemetryStreams.Device(c.AssetId), e);
        await s.SaveChangesAsync(ct);
    }

    public static async Task RemoveAsync(EventStore.EventStore store, Actor actor, string assetId, CancellationToken ct = default)
    {
        await using var s = store.OpenSession(actor);
        s.Events.Append(TelemetryStreams.Device(assetId), new PollingRemoved(assetId));
        await s.SaveChangesAsync(ct);
    }
}
