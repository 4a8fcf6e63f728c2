using DcAssets.Assets;
using DcAssets.Snmp;
using DcAssets.Snmp.Usm;
using DcAssets.Telemetry.Profiles;
using Marten;

namespace DcAssets.Telemetry.Polling;

/// <summary>
/// The v3 user as an operator types it; passwords are sealed by the handler and never stored in clear.
/// </summary>
public sealed record V3UserInput(string Name, AuthProtocol Auth = AuthProtocol.None, string? AuthPassword = null,
    PrivProtocol Priv = PrivProtocol.None, string? PrivPassword = null);

/// <summary>
/// Starts or changes the polling of an asset. RuleOverrides, NominalInputVoltage, TrapCommunity and
/// TrapEngineId left null keep what the asset has (an empty list or text clears them).
/// </summary>
public sealed record ConfigurePolling(string AssetId, string Address, string Profile, int Port = 161,
    SnmpVersion Version = SnmpVersion.V2c,
    string? Community = "public", V3UserInput? V3User = null, int IntervalSeconds = 60,
    IReadOnlyList<RuleOverrideInput>? RuleOverrides = null,
    double? NominalInputVoltage = null, string? TrapCommunity = null, string? TrapEngineId = null);

public static class ConfigurePollingHandler
{
    /// <summary>
    /// The shortest interval: below 2 s a device's polls would crowd each other (and the database) on a
    /// slow answer.
    /// </summary>
    public const int MinIntervalSeconds = 2;

    /// <summary>
    /// Checks the command against the asset (a UPS or precision AC in the register), the profile and the
    /// asset's current configuration, seals the v3 passwords and decides the event (pure but for the
    /// sealer's random nonce). Every problem names its field; nothing is decided when there is one.
    /// </summary>
    public static PollingConfigured Decide(ConfigurePolling c, Asset? asset, PollingConfigured? current,
        ProfileCatalog profiles, CredentialSealer? sealer)
    {
        if (asset is null)
            throw CommandRejected.Field("assetId", $"no asset '{c.AssetId}' in the register", RejectionKind.NotFound);
        var p = new Problems();
        try { TelemetryStreams.ValidateAssetId(asset.Tag); }
        catch (ArgumentException e) { p.Add("assetId", e.Message); }
        if (asset.Details.Category is not (AssetCategory.Ups or AssetCategory.PrecisionAc))
            p.Add("assetId",
                $"{asset.Tag} is a {AssetVocabulary.Name(asset.Details.Category)}; only UPS and precision AC assets " +
                $"are polled");
        if (string.IsNullOrWhiteSpace(c.Address)) p.Add("address", "an IP address or host name is needed");
        if (c.Port is < 1 or > 65535) p.Add("port", "must be 1 to 65535");
        if (c.IntervalSeconds is < MinIntervalSeconds or > 86400)
            p.Add("intervalSeconds", $"must be {MinIntervalSeconds} s to 1 day (86400)");
        DeviceProfile? profile = null;
        if (!profiles.Contains(c.Profile ?? ""))
            p.Add("profile", $"one of: {string.Join(", ", profiles.All.Select(x => x.Name).Order())}");
        else
        {
            profile = profiles.Get(c.Profile!);
            var pollable = asset.Details.Category is AssetCategory.Ups or AssetCategory.PrecisionAc;
            if (pollable && (profile.Kind == DeviceKind.Ups) != (asset.Details.Category == AssetCategory.Ups))
                p.Add("profile",
                    $"'{c.Profile}' is for {(profile.Kind == DeviceKind.Ups ? "UPS" : "precision AC")} units; " +
                    $"{asset.Tag} is a {AssetVocabulary.Name(asset.Details.Category)}");
        }
        var overrides = current?.RuleOverrides;
        if (c.RuleOverrides is not null && profile is not null)
        {
            overrides = c.RuleOverrides.Select((o, i) => o?.Parse($"ruleOverrides[{i}]", profile, p))
                .OfType<Alarms.RuleOverride>().ToList();
            foreach (var twice in overrides.GroupBy(o => o.Rule).Where(g => g.Count() > 1))
                p.Add("ruleOverrides", $"rule '{twice.Key}' is overridden twice");
        }
        else if (overrides is { Count: > 0 } kept && profile is not null)
        {
            // Kept overrides were checked against the profile they were set with; another profile may lack their rules
            // or readings.
            var misfits = new Problems();
            for (var i = 0; i < kept.Count; i++)
                RuleOverrideInput.From(kept[i]).Parse($"ruleOverrides[{i}]", profile, misfits);
            if (misfits.Any)
                p.Add("ruleOverrides", $"the asset's rule overrides do not fit {profile.Name} "
                    + $"({string.Join("; ", misfits.ToDictionary()
                        .Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"))}); "
                    + "send ruleOverrides for it (an empty list clears them)");
        }
        if (c.NominalInputVoltage is { } volts && (!double.IsFinite(volts) || volts is < 50 or > 1000))
            p.Add("nominalInputVoltage", "must be 50 to 1000 V");
        if (c.TrapCommunity?.Length > 64) p.Add("trapCommunity", "at most 64 characters");
        if (c.TrapEngineId is { Length: > 0 } engine && !IsEngineId(engine))
            p.Add("trapEngineId", "5 to 32 bytes in hex (10 to 64 hex digits)");

        SealedV3User? user = null;
        if (c.Version == SnmpVersion.V3) user = V3User(c, sealer, p);
        else if (string.IsNullOrEmpty(c.Community)) p.Add("community", "v1/v2c polling needs a community");
        p.ThrowIfAny();
        return new PollingConfigured(asset.Tag, c.Address.Trim(), c.Port, c.Version, profile!.Name, c.IntervalSeconds,
            c.Version == SnmpVersion.V3 ? null : c.Community, user, overrides is { Count: > 0 } ? overrides : null,
            c.NominalInputVoltage ?? current?.NominalInputVoltage,
            Blank(c.TrapCommunity ?? current?.TrapCommunity),
            Blank(c.TrapEngineId?.ToLowerInvariant() ?? current?.TrapEngineId));
    }

    private static string? Blank(string? s) => string.IsNullOrEmpty(s) ? null : s;

    private static bool IsEngineId(string hex) =>
        hex.Length is >= 10 and <= 64 && hex.Length % 2 == 0 && hex.All(char.IsAsciiHexDigit);

    private static SealedV3User? V3User(ConfigurePolling c, CredentialSealer? sealer, Problems p)
    {
        if (c.V3User is not { } u) { p.Add("v3User", "SNMPv3 needs a user"); return null; }
        if (u.Name.Length is 0 or > 32) p.Add("v3User.name", "a USM user name has 1 to 32 characters");
        if (u.Auth == AuthProtocol.None && u.Priv != PrivProtocol.None)
            p.Add("v3User.privProtocol", "privacy needs authentication");
        if (u.Auth != AuthProtocol.None && (u.AuthPassword?.Length ?? 0) < 8)
            p.Add("v3User.authPassword", "at least 8 characters");
        if (u.Priv != PrivProtocol.None && (u.PrivPassword?.Length ?? 0) < 8)
            p.Add("v3User.privPassword", "at least 8 characters");
        if ((u.AuthPassword ?? u.PrivPassword) is not null && sealer is null)
            p.Add("v3User",
                $"no credential key configured on this node: set {CredentialSealer.KeyFileVariable} or " +
                $"{CredentialSealer.KeyVariable}");
        if (p.Any) return null;
        return new SealedV3User(u.Name, u.Auth, u.AuthPassword is null ? null : sealer!.Seal(c.AssetId, u.AuthPassword),
            u.Priv, u.PrivPassword is null ? null : sealer!.Seal(c.AssetId, u.PrivPassword));
    }

    /// <summary>
    /// Loads the asset (its tag as typed, any case) and its current configuration, decides and appends; the caller
    /// commits the session.
    /// </summary>
    public static async Task<PollingConfigured> Handle(ConfigurePolling c, IDocumentSession s, AssetLookup assets,
        ProfileCatalog profiles, CredentialKey key, CancellationToken ct)
    {
        var sealer = key.Sealer;
        var asset = await assets(c.AssetId, ct);
        var current = asset is null ? null : await s.LoadAsync<PolledDevice>(asset.Tag, ct);
        var e = Decide(c with { AssetId = asset?.Tag ?? c.AssetId }, asset, current?.Config, profiles, sealer);
        s.Events.Append(TelemetryStreams.Device(e.AssetId), e);
        return e;
    }

    /// <summary>Outside the bus (the CLI, tests): in a session of its own, committed.</summary>
    public static async Task<PollingConfigured> RunAsync(IDocumentStore store, Actor actor, AssetLookup assets,
        ConfigurePolling c, ProfileCatalog profiles, CredentialSealer? sealer, CancellationToken ct = default)
    {
        await using var s = store.OpenSession(actor);
        var e = await Handle(c, s, assets, profiles, new CredentialKey(sealer), ct);
        await s.SaveChangesAsync(ct);
        return e;
    }
}
