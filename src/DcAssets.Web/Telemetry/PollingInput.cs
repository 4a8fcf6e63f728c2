using DcAssets.Snmp;
using DcAssets.Snmp.Usm;
using DcAssets.Telemetry.Polling;

namespace DcAssets.Web.Telemetry;

/// <summary>
/// The SNMPv3 user as the API takes it: protocols by name (sha, sha256, aes, des, none), passwords only ever inbound.
/// </summary>
public sealed record V3UserBody(string? Name, string? AuthProtocol = null, string? AuthPassword = null,
    string? PrivProtocol = null, string? PrivPassword = null);

/// <summary>
/// PUT /api/v1/telemetry/devices/{assetId}/polling. Version is "1", "2c" or "3"; port 161 and 60 s unless
/// given. ruleOverrides, nominalInputVoltage, trapCommunity and trapEngineId left out keep what the asset
/// has ([] or "" clears them).
/// </summary>
public sealed record PollingBody(string? Address, string? Profile, int? Port = null, string? Version = null,
    string? Community = null,
    V3UserBody? V3User = null, int? IntervalSeconds = null, IReadOnlyList<RuleOverrideInput>? RuleOverrides = null,
    double? NominalInputVoltage = null, string? TrapCommunity = null, string? TrapEngineId = null);

/// <summary>
/// What the API shows of a polling configuration: v3 passwords are only said to be there, never returned.
/// </summary>
public sealed record PollingView(string AssetId, string Address, int Port, SnmpVersion Version, string Profile,
    int IntervalSeconds,
    string? Community, V3UserView? V3User, IReadOnlyList<RuleOverrideInput> RuleOverrides, double? NominalInputVoltage,
    string? TrapCommunity, string? TrapEngineId)
{
    public static PollingView Of(PollingConfigured c) =>
        new(c.AssetId, c.Address, c.Port, c.Version, c.Profile, c.IntervalSeconds, c.Community,
        c.V3User is { } u
            ? new V3UserView(u.Name, u.Auth, u.Priv, u.AuthPasswordSealed is not null, u.PrivPasswordSealed is not null)
            : null,
        (c.RuleOverrides ?? []).Select(RuleOverrideInput.From).ToList(), c.NominalInputVoltage, c.TrapCommunity,
        c.TrapEngineId);
}

public sealed record V3UserView(string Name, AuthProtocol AuthProtocol, PrivProtocol PrivProtocol, bool HasAuthPassword,
    bool HasPrivPassword);

public static class PollingInput
{
    /// <summary>
    /// Reads what only the API spells as text (version, v3 protocols), each problem naming its field; the
    /// rest is checked by <see cref="ConfigurePollingHandler.Decide"/>, for the API and the CLI alike.
    /// </summary>
    public static ConfigurePolling ToCommand(string assetId, PollingBody b)
    {
        var p = new DcAssets.Problems();
        var version = (b.Version ?? "2c").Trim().TrimStart('v', 'V') switch
        {
            "1" => SnmpVersion.V1, "2c" or "2" => SnmpVersion.V2c, "3" => SnmpVersion.V3, _ => (SnmpVersion?)null
        };
        if (version is null) p.Add("version", "must be 1, 2c or 3");
        V3UserInput? user = null;
        if (version == SnmpVersion.V3) user = V3User(b.V3User, p);
        p.ThrowIfAny();
        return new ConfigurePolling(assetId, b.Address ?? "", b.Profile ?? "", b.Port ?? 161, version!.Value,
            version == SnmpVersion.V3 ? null : b.Community ?? "public", user, b.IntervalSeconds ?? 60, b.RuleOverrides,
            b.NominalInputVoltage, b.TrapCommunity, b.TrapEngineId);
    }

    private static V3UserInput? V3User(V3UserBody? u, DcAssets.Problems p)
    {
        if (u is null) { p.Add("v3User", "SNMPv3 needs a user"); return null; }
        AuthProtocol auth = AuthProtocol.None;
        PrivProtocol priv = PrivProtocol.None;
        try { auth = UsmUser.ParseAuth(u.AuthProtocol ?? "none"); }
        catch (ArgumentException) { p.Add("v3User.authProtocol", "none, md5, sha, sha224, sha256, sha384 or sha512"); }
        try { priv = UsmUser.ParsePriv(u.PrivProtocol ?? "none"); }
        catch (ArgumentException) { p.Add("v3User.privProtocol", "none, des or aes"); }
        return new V3UserInput(u.Name ?? "", auth, auth == AuthProtocol.None ? null : u.AuthPassword, priv,
            priv == PrivProtocol.None ? null : u.PrivPassword);
    }
}
